namespace Gateway.SessionStore.Tests;

/// <summary>A sessions folder of its own for one test, removed afterwards.</summary>
internal sealed class TempSessions : IDisposable
{
    public TempSessions()
    {
        Directory.CreateDirectory(PathName);
    }

    public string PathName { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gateway-store-tests", Guid.NewGuid().ToString("N"));

    public string DatabaseOf(string tenantId) => System.IO.Path.Combine(PathName, tenantId, "session.db");

    public void Dispose()
    {
        try
        {
            Directory.Delete(PathName, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still be exiting; the temp folder is cleaned by the OS eventually.
        }
    }
}
