using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Booking.BuildingBlocks.Contracts;

/// <summary>
/// A price as a person types it into a form, for a business in a country, in a currency: "45", "45.00", "$45",
/// "£12.50", "€12,50", "1,250", "1.250,50", "1 250,50", "CHF 1'250.50". Never for the wire (the API takes the
/// invariant "45.00"). A typed number is never read as another one: "12,50" is 12.50 (a comma before two digits is
/// never a thousands separator, which the invariant parser took it for, making it 1,250.00). A lone separator
/// before exactly three digits is read the way the business's country writes numbers ("1,250" in GB is 1250, "1.250"
/// in DE is 1250), and where that could be either ("1.250" in GB, "1,250" in DE) the person is asked which.
/// </summary>
public static partial class PriceText
{
    private static readonly ConcurrentDictionary<string, bool> CommaDecimals = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The amount, or null with <paramref name="problem"/> saying what to write instead.</summary>
    public static decimal? Parse(string text, string currency, string? countryCode, out string? problem)
    {
        problem = null;
        var firstDigit = text.AsSpan().IndexOfAnyInRange('0', '9');
        if (firstDigit > 0 && text[..firstDigit].IndexOfAny(['-', '−']) >= 0)
        {
            // "-50", "$-50", "−£12": a number, but not a price (review s32 #17: told to "give the price as a number").
            problem = $"A price cannot be negative: give the price, such as {new Money(45m, currency).Format()}, or 0 for free.";
            return null;
        }

        var core = Edges().Replace(text.Trim(), "");
        if (core.Length == 0 || !Shape().IsMatch(core))
        {
            return Refuse(currency, out problem);
        }

        // Spaces and apostrophes only ever group thousands ("1 250,50", "1'250.50").
        if (Spacers().IsMatch(core))
        {
            if (!SpacedGroups().IsMatch(core))
            {
                return Refuse(currency, out problem);
            }

            core = Spacers().Replace(core, "");
        }

        var dots = core.Count(c => c == '.');
        var commas = core.Count(c => c == ',');
        if (dots == 0 && commas == 0)
        {
            return Number(core, "");
        }

        if (dots > 0 && commas > 0)
        {
            // The last one is the decimal separator, once; the other groups thousands before it.
            var last = core.LastIndexOfAny(['.', ',']);
            var (decimalMark, groupMark) = core[last] == '.' ? ('.', ',') : (',', '.');
            if (core.Count(c => c == decimalMark) != 1 || !Grouped(core[..last], groupMark))
            {
                return Refuse(currency, out problem);
            }

            return Number(core[..last].Replace(groupMark.ToString(), "", StringComparison.Ordinal), core[(last + 1)..]);
        }

        var mark = dots > 0 ? '.' : ',';
        var at = core.IndexOf(mark, StringComparison.Ordinal);
        if (dots + commas > 1)
        {
            // "1,250,000" / "1.250.000": grouping only.
            return Grouped(core, mark) ? Number(core.Replace(mark.ToString(), "", StringComparison.Ordinal), "") : Refuse(currency, out problem);
        }

        var whole = core[..at];
        var fraction = core[(at + 1)..];
        if (fraction.Length != 3 || whole.Length == 0)
        {
            return Number(whole, fraction);
        }

        // One separator before exactly three digits: a thousands separator or three decimals.
        var commaDecimal = UsesDecimalComma(countryCode);
        var countryDecimal = commaDecimal ? ',' : '.';
        if (CurrencyDigits.Of(currency) >= 3 && mark == countryDecimal)
        {
            return Number(whole, fraction);
        }

        if (mark != countryDecimal)
        {
            return Number(whole + fraction, "");
        }

        var small = fraction.TrimEnd('0').Length == 0 ? whole : whole + "." + fraction.TrimEnd('0');
        problem = $"“{text.Trim()}” could be {whole}{fraction} or {small}: write the price as {whole}{fraction} or {small}.";
        return null;
    }

    private static decimal? Number(string whole, string fraction) =>
        decimal.Parse((whole.Length == 0 ? "0" : whole) + (fraction.Length == 0 ? "" : "." + fraction), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    private static decimal? Refuse(string currency, out string? problem)
    {
        problem = $"Give the price as a number, such as {new Money(45m, currency).Format()}.";
        return null;
    }

    /// <summary>Groups of three after a first group of one to three digits: "1,250,000".</summary>
    private static bool Grouped(string digits, char mark)
    {
        var groups = digits.Split(mark);
        return groups[0].Length is >= 1 and <= 3 && groups.Skip(1).All(g => g.Length == 3);
    }

    /// <summary>
    /// Whether people in the country write 12,50 for twelve and a half: CLDR's decimal separator of English as written
    /// there (our pages are English), else of the country's first locale ICU has; a point for an unknown country.
    /// </summary>
    public static bool UsesDecimalComma(string? countryCode)
    {
        var country = (countryCode ?? "").Trim();
        if (country.Length != 2 || !country.All(char.IsAsciiLetter))
        {
            return false;
        }

        return CommaDecimals.GetOrAdd(country.ToUpperInvariant(), static c =>
        {
            var cultures = CultureInfo.GetCultures(CultureTypes.SpecificCultures)
                .Where(x => x.Name.EndsWith("-" + c, StringComparison.OrdinalIgnoreCase))
                .OrderBy(x => x.Name.StartsWith("en-", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
                .ThenBy(x => x.Name, StringComparer.Ordinal)
                .ToList();
            return cultures.Count > 0 && cultures[0].NumberFormat.NumberDecimalSeparator == ",";
        });
    }

    /// <summary>A currency's symbol or code, and spaces, before or after the number ("$", "€ ", " kr.", "CHF ").</summary>
    [GeneratedRegex(@"^(?:[\p{Sc}\s]|\p{L}+\.?)+|(?:[\p{Sc}\s]|\p{L}+\.?)+\z")]
    private static partial Regex Edges();

    /// <summary>Digits, with points, commas, spaces or apostrophes between them; no sign.</summary>
    [GeneratedRegex(@"^\d[\d.,\s'’]*\d\z|^\d\z|^[.,]\d+\z")]
    private static partial Regex Shape();

    [GeneratedRegex(@"[\s'’]")]
    private static partial Regex Spacers();

    /// <summary>Every space or apostrophe between a group of digits and exactly three more.</summary>
    [GeneratedRegex(@"^\d{1,3}(?:[\s'’]\d{3})+(?:[.,]\d*)?\z")]
    private static partial Regex SpacedGroups();
}
