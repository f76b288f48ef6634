namespace Gateway.Emulator.Pairing;

/// <summary>A companion's companion_hello: the phone it wants to link to and its code-wrapped ephemeral key.</summary>
internal sealed class LinkCodeRequest(string phone, byte[] wrappedCompanionEphemeral, string pairingRef)
{
    public string Phone { get; } = phone;

    /// <summary>salt(32) || iv(16) || AES-256-CTR(companion ephemeral public key).</summary>
    public byte[] WrappedCompanionEphemeral { get; } = wrappedCompanionEphemeral;

    public string Ref { get; } = pairingRef;

    /// <summary>Completed with the companion_finish iq.</summary>
    public TaskCompletionSource<Gateway.WebProtocol.Binary.Node> Finish { get; } =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}
