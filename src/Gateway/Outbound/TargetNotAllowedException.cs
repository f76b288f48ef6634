namespace Gateway.Outbound;

/// <summary>
/// A caller's URL leads to an address the outbound policy refuses. Thrown before any byte is sent to it; the API
/// answers with the problem type <see cref="ProblemType"/>, a send that finds it at connect time fails with it.
/// </summary>
public sealed class TargetNotAllowedException(string host)
    : Exception($"The target '{host}' resolves to an address the gateway may not connect to (see GATEWAY_ALLOW_PRIVATE_TARGETS).")
{
    public const string ProblemSlug = "target-not-allowed";

    public const string ProblemType = "urn:gateway:problem:" + ProblemSlug;

    public string Host { get; } = host;
}
