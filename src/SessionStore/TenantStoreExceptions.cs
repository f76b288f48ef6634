namespace Gateway.SessionStore;

/// <summary>
/// A tenant store could not be opened or used. The subclasses say why; none of them carries key material or
/// record content in its message.
/// </summary>
public class TenantStoreException : Exception
{
    public TenantStoreException(string tenantId, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        TenantId = tenantId;
    }

    public string TenantId { get; }
}

/// <summary>Another owner (this process or another one) has the tenant's store open.</summary>
public sealed class TenantStoreLockedException(string tenantId, Exception? innerException = null)
    : TenantStoreException(tenantId, $"The session store of tenant '{tenantId}' is open by another owner (process or store instance).", innerException);

/// <summary>The configured key does not open the file: wrong key, key missing for an encrypted file, or a key for a plain one.</summary>
public sealed class TenantStoreKeyException(string tenantId, string reason, Exception? innerException = null)
    : TenantStoreException(tenantId, $"The session store of tenant '{tenantId}' cannot be opened with the configured key: {reason}", innerException);

/// <summary>The file is damaged (not a database, pages that do not decode, or a sealed value that does not open); nothing was reset or rewritten.</summary>
public sealed class TenantStoreCorruptException(string tenantId, Exception? innerException = null)
    : TenantStoreException(tenantId, $"The session store of tenant '{tenantId}' is damaged and was left untouched; restore it from a backup.", innerException);

/// <summary>The file was written by a newer schema than this build knows.</summary>
public sealed class TenantStoreVersionException(string tenantId, int fileVersion, int supportedVersion)
    : TenantStoreException(tenantId, $"The session store of tenant '{tenantId}' has schema version {fileVersion}; this build supports up to {supportedVersion}.")
{
    public int FileVersion { get; } = fileVersion;
    public int SupportedVersion { get; } = supportedVersion;
}
