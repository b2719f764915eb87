using QRCoder;

namespace PiHub.Server.Auth;

/// <summary>
/// Draws an <c>otpauth://</c> URI as an SVG QR code for authenticator apps to scan. Kept in the server:
/// the domain only produces the URI, and QRCoder stays out of PiHub.Core.
/// </summary>
internal static class TotpQrCode
{
    /// <summary>An SVG document (a viewBox, so it scales to any size) of the URI as a QR code.</summary>
    public static string Svg(string otpauthUri)
    {
        ArgumentException.ThrowIfNullOrEmpty(otpauthUri);
        using var data = QRCodeGenerator.GenerateQrCode(otpauthUri, QRCodeGenerator.ECCLevel.M);
        using var svg = new SvgQRCode(data);
        return svg.GetGraphic(4, "#000000", "#ffffff", drawQuietZones: true, SvgQRCode.SizingMode.ViewBoxAttribute);
    }
}
