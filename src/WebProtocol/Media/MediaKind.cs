namespace Gateway.WebProtocol.Media;

/// <summary>The media families WhatsApp keys and routes separately.</summary>
public enum MediaKind
{
    Image,
    Video,
    Audio,
    Document,
}

internal static class MediaKindExtensions
{
    /// <summary>The HKDF info string: a key for one family never decrypts another.</summary>
    public static string KeyInfo(this MediaKind kind) => kind switch
    {
        MediaKind.Image => "WhatsApp Image Keys",
        MediaKind.Video => "WhatsApp Video Keys",
        MediaKind.Audio => "WhatsApp Audio Keys",
        MediaKind.Document => "WhatsApp Document Keys",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The upload path segment after /mms/.</summary>
    public static string UploadPath(this MediaKind kind) => kind switch
    {
        MediaKind.Image => "image",
        MediaKind.Video => "video",
        MediaKind.Audio => "audio",
        MediaKind.Document => "document",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
