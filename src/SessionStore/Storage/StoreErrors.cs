using LiteDB;

namespace Gateway.SessionStore.Storage;

/// <summary>
/// Turns what LiteDB throws on a damaged file (its own exceptions, or casts and index errors from pages that do
/// not decode) into <see cref="TenantStoreCorruptException"/>. Misuse and cancellation pass through unchanged.
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

    public static bool IsDamage(Exception ex) => ex switch
    {
        TenantStoreException or OperationCanceledException or ArgumentException or ObjectDisposedException => false,
        LiteException or InvalidCastException or IndexOutOfRangeException or NullReferenceException or FormatException or OverflowException or IOException => true,
        _ => false,
    };
}
