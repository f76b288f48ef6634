using Gateway.Emulator.Connections;

namespace Gateway.Emulator.Pairing;

/// <summary>A connection that registered without an account and waits to be paired (by QR or by code).</summary>
internal sealed class PairingSession(EmulatorConnection connection, byte[] noiseKey, RegistrationData registration, IReadOnlyList<string> refs)
{
    private int claimed;

    public EmulatorConnection Connection { get; } = connection;

    public byte[] NoiseKey { get; } = noiseKey;

    public RegistrationData Registration { get; } = registration;

    public IReadOnlyList<string> Refs { get; } = refs;

    /// <summary>Pairing-code state once the companion sent companion_hello.</summary>
    public LinkCodeRequest? LinkCode { get; set; }

    /// <summary>Only one phone may pair a session.</summary>
    public bool TryClaim() => Interlocked.Exchange(ref claimed, 1) == 0;
}
