using System.Text.RegularExpressions;

namespace Booking.BuildingBlocks.Tenancy;

/// <summary>Business slugs: 3–63 characters, lowercase letters and digits, single hyphens between them.</summary>
public static partial class Slug
{
    public const int MinLength = 3;
    public const int MaxLength = 63;

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    /// <summary>Lower-cases (slugs are case-insensitive) and checks the shape; null when malformed.</summary>
    public static string? Normalise(string? raw)
    {
        // ASCII first: ToLowerInvariant maps some non-ASCII letters (the Kelvin sign) onto ASCII ones.
        if (string.IsNullOrEmpty(raw) || raw.Length < MinLength || raw.Length > MaxLength || !System.Text.Ascii.IsValid(raw))
        {
            return null;
        }

        var lower = raw.ToLowerInvariant();
        return Shape().IsMatch(lower) ? lower : null;
    }
}
