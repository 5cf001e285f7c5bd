using System.Collections.Frozen;
using System.Globalization;
using PhoneNumbers;

namespace Booking.BuildingBlocks.Phones;

/// <summary>
/// The countries a business texts one-time codes to (Setup → Client Portal), against SMS pumping: a code is texted only
/// to a mobile whose country (libphonenumber's region of the number: +44 7797 is Jersey, not the United Kingdom) is on
/// the business's list. Countries are ISO 3166-1 alpha-2 codes that libphonenumber knows numbers of; their names, for
/// people, are ICU's English names ("United Kingdom").
/// </summary>
public static class SmsCountries
{
    /// <summary>The most countries one business may text codes to.</summary>
    public const int Max = 20;

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    private static readonly Lazy<FrozenSet<string>> Supported = new(() => Util.GetSupportedRegions().ToFrozenSet(StringComparer.Ordinal));

    /// <summary>The code as stored: trimmed, upper case.</summary>
    public static string Tidy(string code) => code.Trim().ToUpperInvariant();

    /// <summary>A two-letter country code (any case) that libphonenumber knows numbers of.</summary>
    public static bool IsSupported(string? code) =>
        !string.IsNullOrWhiteSpace(code) && code.Trim().Length == 2 && Supported.Value.Contains(Tidy(code));

    /// <summary>The country of an E.164 number, as libphonenumber places it; null when it places it nowhere.</summary>
    public static string? CountryOf(string e164)
    {
        try
        {
            var region = Util.GetRegionCodeForNumber(Util.Parse(e164, null));
            return string.IsNullOrEmpty(region) || region == "ZZ" ? null : region;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>Whether a code may be texted to <paramref name="e164"/> under the business's list.</summary>
    public static bool Allows(IEnumerable<string> countries, string e164) =>
        CountryOf(e164) is { } country && countries.Contains(country, StringComparer.OrdinalIgnoreCase);

    /// <summary>The country's English name ("United Kingdom"); the code itself where ICU has no name for it.</summary>
    public static string Name(string code)
    {
        try
        {
            var name = new RegionInfo(Tidy(code)).EnglishName;
            return string.IsNullOrWhiteSpace(name) ? Tidy(code) : name;
        }
        catch (ArgumentException)
        {
            return Tidy(code);
        }
    }

    /// <summary>
    /// The country's name as a sentence writes it after "in" or "from": with "the" for the names that take it ("the United
    /// Kingdom", "the Netherlands", "the Cayman Islands"), else as <see cref="Name"/>. ICU's English names have no article, so
    /// the rule is by the name's shape (United …, … Republic, … Islands) and a few known names; a name it misses reads as before.
    /// </summary>
    public static string NameInSentence(string code)
    {
        var name = Name(code);
        return TakesThe(name) ? "the " + name : name;
    }

    private static readonly FrozenSet<string> TheNames = new[]
    {
        "Bahamas", "Gambia", "Netherlands", "Philippines", "Maldives", "Seychelles", "Comoros", "Isle of Man", "Vatican City",
        "Caribbean Netherlands", "Netherlands Antilles",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static bool TakesThe(string name) =>
        TheNames.Contains(name)
        || name.StartsWith("United ", StringComparison.Ordinal)
        || name.EndsWith(" Republic", StringComparison.Ordinal)
        || name.EndsWith(" Islands", StringComparison.Ordinal);

    /// <summary>
    /// "United Kingdom", "United Kingdom and Ireland", "United Kingdom, Ireland and France"; <paramref name="inSentence"/>
    /// (after "in" or "from"): "the United Kingdom and Ireland" (<see cref="NameInSentence"/>).
    /// </summary>
    public static string Names(IEnumerable<string> countries, bool inSentence = false)
    {
        var names = countries.Select(inSentence ? NameInSentence : (Func<string, string>)Name).ToList();
        return names.Count switch
        {
            0 => "",
            1 => names[0],
            _ => string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1],
        };
    }

    /// <summary>
    /// The refusal on <c>mobile</c> for a number of another country, naming the business's countries; and, when the number
    /// shares its country calling code with one of them (+44 7911 1… is Guernsey's, +1 416 Canada's), the place the number
    /// belongs to, since the client took it for one of the business's ("… (this number is registered in Guernsey).").
    /// It says nothing of any client: only what the business texts to and what the number itself shows.
    /// </summary>
    public static string Refusal(IEnumerable<string> countries, string? e164 = null)
    {
        var list = countries.ToList();
        var refusal = $"This business can only text codes to numbers in {Names(list, inSentence: true)}";
        return e164 is not null && CountryOf(e164) is { } place && SharesCallingCode(place, list)
            ? $"{refusal} (this number is registered in {NameInSentence(place)})."
            : refusal + ".";
    }

    private static bool SharesCallingCode(string place, IEnumerable<string> countries)
    {
        var code = Util.GetCountryCodeForRegion(place);
        return code != 0 && countries.Any(c => !string.Equals(Tidy(c), place, StringComparison.Ordinal) && Util.GetCountryCodeForRegion(Tidy(c)) == code);
    }
}
