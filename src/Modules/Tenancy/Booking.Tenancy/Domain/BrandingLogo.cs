using Booking.BuildingBlocks.Data;

namespace Booking.Tenancy.Domain;

/// <summary>The business's logo, one per business, kept in the database with its detected content type.</summary>
public sealed class BrandingLogo : ITenantOwned
{
    public const int MaxBytes = 1024 * 1024;

    public Guid TenantId { get; set; }

    /// <summary>image/png, image/jpeg or image/webp: detected from the bytes, never taken from the upload.</summary>
    public string ContentType { get; set; } = "";

    public byte[] Content { get; set; } = [];

    /// <summary>Hash of the content: the HTTP ETag.</summary>
    public string ETag { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Which image format some bytes are, by their signature. Anything else (SVG, GIF, HTML…) is refused.</summary>
public static class LogoImage
{
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";
    public const string WebP = "image/webp";

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The content type, or null when the bytes are none of PNG, JPEG or WebP.</summary>
    public static string? Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 16 && bytes.StartsWith(PngSignature))
        {
            return Png;
        }

        if (bytes.Length >= 4 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
        {
            return Jpeg;
        }

        // RIFF <size> WEBP then a VP8/VP8L/VP8X chunk.
        if (bytes.Length >= 16 && bytes[..4].SequenceEqual("RIFF"u8) && bytes.Slice(8, 4).SequenceEqual("WEBP"u8)
            && bytes.Slice(12, 3).SequenceEqual("VP8"u8))
        {
            return WebP;
        }

        return null;
    }
}
