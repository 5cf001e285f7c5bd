using System.Buffers.Binary;
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

/// <summary>Why some bytes are not a logo we keep.</summary>
public enum LogoFault
{
    None,

    /// <summary>Not PNG, JPEG or WebP (SVG, GIF, HTML…).</summary>
    NotAnImage,

    /// <summary>The right signature, but cut short or broken: no header with a size, or no end.</summary>
    Damaged,

    /// <summary>Wider or taller than <see cref="LogoImage.MaxSide"/>.</summary>
    TooLarge,
}

/// <summary>
/// Which image format some bytes are, and whether they are whole enough to be one: a signature alone is not an image
/// (a cut-off upload would be served as a broken logo). No decoding: the header with a sane size and the file's end.
/// </summary>
public static class LogoImage
{
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";
    public const string WebP = "image/webp";

    /// <summary>Pixels per side: far more than a logo needs, and it keeps a small file from declaring a huge bitmap.</summary>
    public const int MaxSide = 8192;

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The content type of a whole PNG, JPEG or WebP; null for anything else.</summary>
    public static string? Detect(ReadOnlySpan<byte> bytes) => Check(bytes) is (var type, LogoFault.None) ? type : null;

    /// <summary>The format the signature names (null: none of ours) and what, if anything, is wrong with the rest.</summary>
    public static (string? ContentType, LogoFault Fault) Check(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(PngSignature))
        {
            return (Png, CheckPng(bytes));
        }

        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
        {
            return (Jpeg, CheckJpeg(bytes));
        }

        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return (WebP, CheckWebP(bytes));
        }

        return (null, LogoFault.NotAnImage);
    }

    private static LogoFault Size(long width, long height) =>
        width <= 0 || height <= 0 ? LogoFault.Damaged : width > MaxSide || height > MaxSide ? LogoFault.TooLarge : LogoFault.None;

    /// <summary>IHDR first (13 bytes, a size), then chunks that follow each other exactly, with image data, to IEND at the very end.</summary>
    private static LogoFault CheckPng(ReadOnlySpan<byte> bytes)
    {
        var at = PngSignature.Length;
        if (bytes.Length < at + 25 || BinaryPrimitives.ReadUInt32BigEndian(bytes[at..]) != 13 || !bytes.Slice(at + 4, 4).SequenceEqual("IHDR"u8))
        {
            return LogoFault.Damaged;
        }

        var size = Size(BinaryPrimitives.ReadUInt32BigEndian(bytes[(at + 8)..]), BinaryPrimitives.ReadUInt32BigEndian(bytes[(at + 12)..]));
        if (size != LogoFault.None)
        {
            return size;
        }

        var sawData = false;
        while (bytes.Length - at >= 12)
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(bytes[at..]);
            var type = bytes.Slice(at + 4, 4);
            var next = at + 12 + length;
            if (next > bytes.Length)
            {
                return LogoFault.Damaged;
            }

            sawData |= type.SequenceEqual("IDAT"u8);
            if (type.SequenceEqual("IEND"u8))
            {
                return sawData && length == 0 && next == bytes.Length ? LogoFault.None : LogoFault.Damaged;
            }

            at = (int)next;
        }

        return LogoFault.Damaged;
    }

    /// <summary>Segments from SOI to a frame header (SOFn) with a size, then EOI as the last two bytes.</summary>
    private static LogoFault CheckJpeg(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4 || bytes[^2] != 0xFF || bytes[^1] != 0xD9)
        {
            return LogoFault.Damaged;
        }

        var at = 2;
        while (at + 4 <= bytes.Length)
        {
            if (bytes[at] != 0xFF)
            {
                return LogoFault.Damaged;
            }

            var marker = bytes[at + 1];
            if (marker == 0xFF)
            {
                at++; // fill byte
                continue;
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                at += 2; // markers without a length
                continue;
            }

            if (marker is 0xD9 or 0xDA)
            {
                return LogoFault.Damaged; // the end or the scan before any frame header
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 2)..]);
            if (length < 2 || at + 2 + length > bytes.Length)
            {
                return LogoFault.Damaged;
            }

            // SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC): precision, height, width.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return length < 8 ? LogoFault.Damaged
                    : Size(BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 5)..]));
            }

            at += 2 + length;
        }

        return LogoFault.Damaged;
    }

    /// <summary>The RIFF size is the file's, and the first chunk (VP8, VP8L or VP8X) fits and holds a size.</summary>
    private static LogoFault CheckWebP(ReadOnlySpan<byte> bytes)
    {
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]) != bytes.Length - 8 || bytes.Length < 20)
        {
            return LogoFault.Damaged;
        }

        var kind = bytes.Slice(12, 4);
        long length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..]);
        if (20 + length > bytes.Length)
        {
            return LogoFault.Damaged;
        }

        var data = bytes.Slice(20, (int)length);
        if (kind.SequenceEqual("VP8 "u8))
        {
            // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
            return data.Length < 10 || data[3] != 0x9D || data[4] != 0x01 || data[5] != 0x2A ? LogoFault.Damaged
                : Size(BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(data[8..]) & 0x3FFF);
        }

        if (kind.SequenceEqual("VP8L"u8))
        {
            // Signature 0x2F, then width − 1 and height − 1 in 14 bits each.
            if (data.Length < 5 || data[0] != 0x2F)
            {
                return LogoFault.Damaged;
            }

            var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[1..]);
            return Size((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
        }

        if (kind.SequenceEqual("VP8X"u8))
        {
            // Flags and reserved (4 bytes), then canvas width − 1 and height − 1 in 24 bits each.
            return data.Length < 10 ? LogoFault.Damaged
                : Size((data[4] | (data[5] << 8) | (data[6] << 16)) + 1L, (data[7] | (data[8] << 8) | (data[9] << 16)) + 1L);
        }

        return LogoFault.Damaged;
    }
}
