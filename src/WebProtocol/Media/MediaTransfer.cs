using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Gateway.WebProtocol.Media;

/// <summary>Where an upload landed: the full URL and the path other clients download from.</summary>
public sealed record MediaUploadResult(string Url, string DirectPath);

/// <summary>HTTPS upload and download against the media hosts media_conn names.</summary>
public sealed class MediaTransfer(HttpClient http)
{
    private readonly HttpClient http = http ?? throw new ArgumentNullException(nameof(http));

    /// <summary>POST https://host/mms/kind/token?auth=..&amp;token=.. with the encrypted body; token = base64url(fileEncSha256).</summary>
    public async Task<MediaUploadResult> UploadAsync(EncryptedMedia media, MediaKind kind, MediaConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(connection);
        var token = Convert.ToBase64String(media.FileEncSha256).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        MediaException? last = null;
        foreach (var host in connection.Hosts)
        {
            var uri = new Uri($"https://{host}/mms/{kind.UploadPath()}/{token}?auth={Uri.EscapeDataString(connection.Auth)}&token={token}");
            using var content = new ByteArrayContent(media.Body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            try
            {
                using var response = await http.PostAsync(uri, content, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    last = new MediaException($"media upload refused: {(int)response.StatusCode}");
                    continue;
                }

                var reply = await response.Content.ReadFromJsonAsync<UploadReply>(cancellationToken).ConfigureAwait(false);
                if (reply?.DirectPath is null)
                {
                    throw new MediaException("media upload reply has no direct_path");
                }

                return new MediaUploadResult(reply.Url ?? $"https://{host}{reply.DirectPath}", reply.DirectPath);
            }
            catch (HttpRequestException ex)
            {
                last = new MediaException("media host unreachable", ex);
            }
        }

        throw last ?? new MediaException("no media host to upload to");
    }

    /// <summary>GETs the encrypted body from <paramref name="url"/>; the caller verifies and decrypts it.</summary>
    public async Task<byte[]> DownloadAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new MediaException($"media download refused: {(int)response.StatusCode}");
        }

        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed record UploadReply(
        [property: JsonPropertyName("url")] string? Url,
        [property: JsonPropertyName("direct_path")] string? DirectPath);
}
