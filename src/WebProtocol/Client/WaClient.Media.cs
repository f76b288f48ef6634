using Gateway.WebProtocol.Client.Connection;
using Gateway.WebProtocol.Media;
using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Types;

namespace Gateway.WebProtocol.Client;

public sealed partial class WaClient
{
    /// <summary>Encrypts and uploads a file, then sends it as an image, video, audio or document message.</summary>
    public async Task<string> SendMediaAsync(Jid to, MediaContent content, CancellationToken cancellationToken, string? messageId = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        RequireLoggedIn();
        var encrypted = MediaCrypto.Encrypt(content.Data.Span, content.Kind, options.Random);
        var upload = await UploadWithRefreshAsync(encrypted, content.Kind, cancellationToken).ConfigureAwait(false);
        var message = OutgoingContent.Media(content, encrypted, upload, Time.GetUtcNow());
        return (await SendMessageAsync(to, message, cancellationToken, messageId).ConfigureAwait(false)).MessageId;
    }

    /// <summary>Downloads a received media message, verifies its MAC and hashes, and returns the plaintext.</summary>
    /// <exception cref="MediaException">The download failed or the content does not verify.</exception>
    public async Task<byte[]> DownloadMediaAsync(Message message, CancellationToken cancellationToken)
    {
        var media = OutgoingContent.MediaOf(message) ?? throw new ArgumentException("not a media message", nameof(message));
        Uri url;
        if (media.Url is { } u && u.StartsWith("https://", StringComparison.Ordinal))
        {
            url = new Uri(u);
        }
        else if (media.DirectPath is { } path)
        {
            var connection = await GetMediaConnectionAsync(cancellationToken).ConfigureAwait(false);
            url = new Uri($"https://{connection.Hosts[0]}{path}");
        }
        else
        {
            throw new MediaException("the message names no place to download from");
        }

        var body = await new MediaTransfer(mediaHttp).DownloadAsync(url, cancellationToken).ConfigureAwait(false);
        return MediaCrypto.Decrypt(body, media.Kind, media.MediaKey, media.FileEncSha256, media.FileSha256);
    }

    private async Task<MediaUploadResult> UploadWithRefreshAsync(EncryptedMedia encrypted, MediaKind kind, CancellationToken cancellationToken)
    {
        var connection = await GetMediaConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await new MediaTransfer(mediaHttp).UploadAsync(encrypted, kind, connection, cancellationToken).ConfigureAwait(false);
        }
        catch (MediaException)
        {
            // The auth token may have been revoked early: fetch a new one once.
            mediaConnection = null;
            connection = await GetMediaConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await new MediaTransfer(mediaHttp).UploadAsync(encrypted, kind, connection, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<MediaConnection> GetMediaConnectionAsync(CancellationToken cancellationToken)
    {
        if (mediaConnection is { } cached && cached.ExpiresAt > Time.GetUtcNow())
        {
            return cached;
        }

        var answer = await QueryAsync(
            id => Stanza.Make("iq", Stanza.Attrs(("id", id), ("to", Stanza.Server), ("type", "set"), ("xmlns", "w:m")), Stanza.Make("media_conn")),
            cancellationToken).ConfigureAwait(false);
        var fresh = MediaConnection.Parse(answer, Time.GetUtcNow());
        mediaConnection = fresh;
        return fresh;
    }
}
