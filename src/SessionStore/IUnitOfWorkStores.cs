namespace Gateway.SessionStore;

/// <summary>The stores of one unit of work (<see cref="TenantStore.RunInTransactionAsync{T}"/>).</summary>
public interface IUnitOfWorkStores : ITenantStores
{
    /// <summary>
    /// Runs <paramref name="step"/> inside this unit of work. If it throws, everything it wrote is undone and the
    /// exception propagates; what the unit of work wrote before the step is kept, and the unit of work may go on
    /// (one failed item of a batch). If it returns, its writes commit with the rest of the unit of work.
    /// </summary>
    Task<T> IsolateAsync<T>(Func<CancellationToken, Task<T>> step, CancellationToken cancellationToken);
}
