using System.Runtime.CompilerServices;
using QRCoder;

namespace Gateway.Qr;

/// <summary>Draws a pairing QR text as PNG, SVG, a PNG data URL or terminal blocks.</summary>
public static class QrRenderer
{
    // One QR text is served several times (the start answer, the JSON and SSE endpoints, status polls) while it is
    // shown, and drawing it is the costliest step of a link; the drawing lives as long as that text instance does.
    private static readonly ConditionalWeakTable<string, string> DataUrls = [];

    public static byte[] Png(string text, int pixelsPerModule = 8)
    {
        using var data = Encode(text);
        return new PngByteQRCode(data).GetGraphic(pixelsPerModule);
    }

    public static string DataUrl(string text) =>
        DataUrls.GetValue(text, static t => "data:image/png;base64," + Convert.ToBase64String(Png(t)));

    public static string Svg(string text)
    {
        using var data = Encode(text);
        return new SvgQRCode(data).GetGraphic(6);
    }

    /// <summary>Two modules per character row (half blocks), so the code fits an 80x40 terminal.</summary>
    public static string Terminal(string text)
    {
        using var data = Encode(text);
        return new AsciiQRCode(data).GetGraphicSmall(drawQuietZones: true);
    }

    private static QRCodeData Encode(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
    }
}
