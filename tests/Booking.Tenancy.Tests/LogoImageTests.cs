using System.Text;
using Booking.Tenancy.Domain;

namespace Booking.Tenancy.Tests;

public sealed class LogoImageTests
{
    [Fact]
    public void Whole_png_jpeg_and_webp_files_are_known()
    {
        // Small whole files (a 1×1 PNG, the minimal progressive JPEG and lossy WebP browsers use for feature checks).
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        var jpeg = Convert.FromBase64String(
            "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////"
            + "wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxD/2Q==");
        var webp = Convert.FromBase64String("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA");

        Assert.Equal("image/png", LogoImage.Detect(png));
        Assert.Equal("image/jpeg", LogoImage.Detect(jpeg));
        Assert.Equal("image/webp", LogoImage.Detect(webp));
    }

    [Fact]
    public void A_signature_alone_is_not_an_image()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. new byte[16]];
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, .. new byte[16]];
        byte[] webp = [.. "RIFF"u8.ToArray(), 1, 2, 3, 4, .. "WEBPVP8L"u8.ToArray(), .. new byte[8]];

        Assert.Null(LogoImage.Detect(png));
        Assert.Null(LogoImage.Detect(jpeg));
        Assert.Null(LogoImage.Detect(webp));
    }

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>")]
    [InlineData("<?xml version=\"1.0\"?><svg/>")]
    [InlineData("GIF89a..........")]
    [InlineData("<html><body>hi</body></html>")]
    [InlineData("RIFF....WAVEfmt ........")]
    [InlineData("")]
    public void Svg_gif_html_other_riff_and_nothing_are_refused(string text) =>
        Assert.Null(LogoImage.Detect(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void A_truncated_png_signature_is_refused() =>
        Assert.Null(LogoImage.Detect([0x89, 0x50, 0x4E, 0x47]));
}
