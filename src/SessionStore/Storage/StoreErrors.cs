namespace Gateway.SessionStore.Storage;

/// <summary>
/// Turns what LiteDB throws on a damaged file (its own exceptions, or casts, ranges and index errors from pages
/// that do not decode) into <see cref="TenantStoreCorruptException"/>. Misuse and cancellation pass through.
/// </summary>
internal static class StoreErrors
{
    public static T Guard<T>(string tenantId, Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (Exception ex) when (IsDamage(ex))
        {
            throw new TenantStoreCorruptException(tenantId, ex);
        }
    }

    /// <summary>
    /// Everything thrown while LiteDB or a record decoder reads stored bytes is damage, except our own signals:
    /// store errors, cancellation, disposal, and InvalidOperationException (misuse or a refused write).
    /// Arguments are validated before any stored byte is read, so an ArgumentException here came from the file.
    /// </summary>
    public static bool IsDamage(Exception ex) => ex is not (TenantStoreException or OperationCanceledException
        or ObjectDisposedException or InvalidOperationException or OutOfMemoryException);
}
