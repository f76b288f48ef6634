namespace Gateway.WebProtocol.Signal;

/// <summary>What WhatsApp's <c>enc</c> node calls the payload: "msg" for a ratchet message, "pkmsg" for a prekey one.</summary>
public enum CiphertextType
{
    Whisper = 1,
    PreKey = 3,
}

/// <summary>An encrypted 1:1 message ready for the wire, with the registration id of the device it is for.</summary>
public sealed record CiphertextMessage(CiphertextType Type, byte[] Serialized, uint RemoteRegistrationId);
