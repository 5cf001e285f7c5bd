using System.Globalization;

namespace Booking.BuildingBlocks.Web;

/// <summary>
/// A business's brand colour as the portal and the emails use it: a #rrggbb colour (anything else is the default), and
/// the text colour on it, black or white, whichever contrasts more (WCAG 2 relative luminance).
/// </summary>
public static class BrandColours
{
    public const string Default = "#2f6f8f";

    public static string Safe(string? colour) =>
        colour is { Length: 7 } && colour[0] == '#' && colour.Skip(1).All(Uri.IsHexDigit) ? colour.ToLowerInvariant() : Default;

    public static string TextOn(string colour)
    {
        var background = Luminance(colour);
        var withBlack = (background + 0.05) / 0.05;
        var withWhite = 1.05 / (background + 0.05);
        return withBlack >= withWhite ? "#000000" : "#ffffff";
    }

    /// <summary>Contrast ratio of two #rrggbb colours, 1 to 21.</summary>
    public static double Contrast(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    public static double Luminance(string colour)
    {
        double Channel(int offset)
        {
            var c = int.Parse(colour.AsSpan(offset, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return 0.2126 * Channel(1) + 0.7152 * Channel(3) + 0.0722 * Channel(5);
    }
}
