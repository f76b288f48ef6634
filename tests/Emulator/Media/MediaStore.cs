using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Emulator.Media;

/// <summary>
/// The media host: <c>POST /mms/{type}/{token}?auth&amp;token</c> stores the encrypted body and answers
/// <c>{url, direct_path}</c>; <c>GET</c> on the direct path returns it. HTTPS only, as WhatsApp's.
/// </summary>
public sealed class MediaStore
{
    private const long MaxUpload = 64 * 1024 * 1024;
    private readonly ConcurrentDictionary<string, byte[]> blobs = new(StringComparer.Ordinal);

    public int Count => blobs.Count;

    /// <summary>The stored body under <paramref name="directPath"/>, if any.</summary>
    public byte[]? Find(string directPath) => blobs.TryGetValue(directPath, out var body) ? body : null;

    internal void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/mms/{type}/{token}", UploadAsync);
        endpoints.MapGet("/mms/{type}/{token}", Download);
    }

    private async Task<IResult> UploadAsync(HttpContext context, string type, string token)
    {
        if (!context.Request.IsHttps || string.IsNullOrEmpty(context.Request.Query["auth"]))
        {
            return TypedResults.Forbid();
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (buffer.Length > MaxUpload)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        // A fresh opaque name per upload, as WhatsApp's direct paths are (the token is the body's hash).
        _ = token;
        var directPath = $"/mms/{Uri.EscapeDataString(type)}/{Guid.NewGuid():N}";
        blobs[directPath] = buffer.ToArray();
        var url = $"https://{context.Request.Host}{directPath}";
        return TypedResults.Json(new UploadAnswer(url, directPath));
    }

    private IResult Download(HttpContext context, string type, string token)
    {
        var path = $"/mms/{Uri.EscapeDataString(type)}/{token}";
        return context.Request.IsHttps && blobs.TryGetValue(path, out var body)
            ? TypedResults.Bytes(body, "application/octet-stream")
            : TypedResults.NotFound();
    }

    private sealed record UploadAnswer(
        [property: System.Text.Json.Serialization.JsonPropertyName("url")] string Url,
        [property: System.Text.Json.Serialization.JsonPropertyName("direct_path")] string DirectPath);
}
