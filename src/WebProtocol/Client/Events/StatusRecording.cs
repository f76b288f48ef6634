namespace Gateway.WebProtocol.Client;

/// <summary>
/// A receipt's statuses on their way to the application's store: the receipt is acknowledged to the server only once
/// every status it carried was recorded (<see cref="WaClientOptions.AckReceiptsWhenRecorded"/>). Until then the server
/// keeps it and sends it again at the next login, so a process that dies between the receipt and its commit loses no
/// delivered or read status; one recorded twice is the application's to recognise (a status does not move back).
/// </summary>
public sealed class StatusRecording
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _left;

    internal StatusRecording(int statuses)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(statuses);
        _left = statuses;
    }

    /// <summary>One of the receipt's statuses is recorded (committed); the last one lets the acknowledgement go.</summary>
    public void Recorded()
    {
        if (Interlocked.Decrement(ref _left) == 0)
        {
            _done.TrySetResult();
        }
    }

    /// <summary>A status could not be recorded: the receipt stays unacknowledged, and the server sends it again.</summary>
    public void NotRecorded(Exception reason) => _done.TrySetException(reason);

    internal Task Done => _done.Task;
}
