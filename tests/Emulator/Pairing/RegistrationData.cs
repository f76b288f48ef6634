using Gateway.Emulator.Accounts;
using Gateway.Emulator.Stanzas;
using Gateway.WebProtocol;
using Gateway.WebProtocol.Proto;

namespace Gateway.Emulator.Pairing;

/// <summary>The keys a registering companion announces in ClientPayload.devicePairingData.</summary>
internal sealed record RegistrationData(uint RegistrationId, byte[] IdentityKey, SignedPreKey SignedPreKey)
{
    public static RegistrationData Parse(ClientPayload.Types.DevicePairingRegistrationData data)
    {
        var identity = data.EIdent.ToByteArray();
        var signedPreKey = data.ESkeyVal.ToByteArray();
        var signature = data.ESkeySig.ToByteArray();
        if (identity.Length != 32 || signedPreKey.Length != 32 || signature.Length != 64)
        {
            throw new WireFormatException("device pairing data has keys of the wrong length");
        }

        return new RegistrationData(
            BigEndian.Read(data.ERegid.Span, 4),
            identity,
            new SignedPreKey(BigEndian.Read(data.ESkeyId.Span, 3), signedPreKey, signature));
    }
}
