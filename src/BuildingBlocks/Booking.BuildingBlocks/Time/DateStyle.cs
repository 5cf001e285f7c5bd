using System.Collections.Concurrent;
using System.Globalization;
using NodaTime;

namespace Booking.BuildingBlocks.Time;

/// <summary>
/// How a business's dates are written for people: day first ("Tuesday 8 December 2026", "Tue 8 Dec") or month first
/// ("Tuesday, December 8, 2026", "Tue, Dec 8"). One style per business, on every page, email and text that shows a
/// date (not the machine forms: ISO 8601, the <c>.ics</c>'s DTSTART, a date input's value), chosen by its country as
/// CLDR writes English there (<see cref="ForCountry"/>). Every text stays English; only the order (and the commas that
/// come with month first) follows the country. The times of day beside the dates are <see cref="TimeFormat"/>'s.
/// </summary>
public sealed class DateStyle
{
    /// <summary>"Tuesday 8 December 2026": the United Kingdom, Australia, Ireland, India, Germany … and any country
    /// ICU has no English for.</summary>
    public static readonly DateStyle DayFirst = new(
        monthFirst: false, longDate: "dddd d MMMM yyyy", longDateThisYear: "dddd d MMMM", dayMonth: "d MMMM yyyy", dayMonthThisYear: "d MMMM",
        shortDate: "ddd d MMM yyyy", shortDateThisYear: "ddd d MMM");

    /// <summary>"Tuesday, December 8, 2026": the United States, Canada, the Philippines, Puerto Rico ….</summary>
    public static readonly DateStyle MonthFirst = new(
        monthFirst: true, longDate: "dddd, MMMM d, yyyy", longDateThisYear: "dddd, MMMM d", dayMonth: "MMMM d, yyyy", dayMonthThisYear: "MMMM d",
        shortDate: "ddd, MMM d, yyyy", shortDateThisYear: "ddd, MMM d");

    private static readonly ConcurrentDictionary<string, DateStyle> ByCountry = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The English locales ICU has data of ("en-US", "en-GB", "en-DE" …). ICU answers any other "en-XX" with
    /// plain English's (American) patterns, so only these are asked.</summary>
    private static readonly Lazy<HashSet<string>> EnglishLocales = new(() =>
        CultureInfo.GetCultures(CultureTypes.SpecificCultures)
            .Select(c => c.Name)
            .Where(n => n.StartsWith("en-", StringComparison.OrdinalIgnoreCase))
            .ToHashSet(StringComparer.OrdinalIgnoreCase));

    private readonly string longDate;
    private readonly string longDateThisYear;
    private readonly string dayMonth;
    private readonly string dayMonthThisYear;
    private readonly string shortDate;
    private readonly string shortDateThisYear;

    private DateStyle(bool monthFirst, string longDate, string longDateThisYear, string dayMonth, string dayMonthThisYear, string shortDate, string shortDateThisYear)
    {
        IsMonthFirst = monthFirst;
        this.longDate = longDate;
        this.longDateThisYear = longDateThisYear;
        this.dayMonth = dayMonth;
        this.dayMonthThisYear = dayMonthThisYear;
        this.shortDate = shortDate;
        this.shortDateThisYear = shortDateThisYear;
    }

    public bool IsMonthFirst { get; }

    /// <summary>
    /// The order a country's people write dates in, from CLDR through .NET's ICU cultures: the month-and-day pattern of
    /// English as written in that country ("en-US" "MMMM d": month first; "en-GB", "en-AU", "en-DE" "d MMMM": day first).
    /// CLDR says month first for US, CA, PH, PR, GU, AS, VI, UM, MP, MH …, day first for GB, IE, AU, NZ, IN, ZA, SG,
    /// DE, NL, SE …. A country ICU has no English of (FR, JP, BR …, whose "en-XX" ICU would answer with American
    /// English's patterns), an unknown one or none is day first, the order most of the world reads.
    /// </summary>
    public static DateStyle ForCountry(string? countryCode)
    {
        var country = (countryCode ?? "").Trim();
        if (country.Length != 2 || !country.All(char.IsAsciiLetter))
        {
            return DayFirst;
        }

        return ByCountry.GetOrAdd(country.ToUpperInvariant(), static c =>
        {
            var name = "en-" + c;
            if (!EnglishLocales.Value.Contains(name))
            {
                return DayFirst;
            }

            var monthDay = CultureInfo.GetCultureInfo(name).DateTimeFormat.MonthDayPattern;
            var month = monthDay.IndexOf('M', StringComparison.Ordinal);
            var day = monthDay.IndexOf('d', StringComparison.Ordinal);
            return month >= 0 && day >= 0 && month < day ? MonthFirst : DayFirst;
        });
    }

    /// <summary>"Tuesday 8 December 2026" / "Tuesday, December 8, 2026"; without the year when <paramref name="withYear"/>
    /// is false ("Tuesday 8 December" / "Tuesday, December 8").</summary>
    public string Long(LocalDate date, bool withYear = true) => Format(date, withYear ? longDate : longDateThisYear);

    /// <summary>"8 December 2026" / "December 8, 2026"; without the year "8 December" / "December 8".</summary>
    public string DayMonth(LocalDate date, bool withYear = true) => Format(date, withYear ? dayMonth : dayMonthThisYear);

    /// <summary>"Tue 8 Dec" / "Tue, Dec 8"; with the year "Tue 8 Dec 2026" / "Tue, Dec 8, 2026".</summary>
    public string Short(LocalDate date, bool withYear = false) => Format(date, withYear ? shortDate : shortDateThisYear);

    /// <summary>A short date followed by a time of day: "Tue 8 Dec 23:30" / "Tue, Dec 8, 11:30 PM" (month first, a comma
    /// keeps the day's number apart from the time's).</summary>
    public string ShortThen(LocalDate date, string time) => Short(date) + (IsMonthFirst ? ", " : " ") + time;

    public override string ToString() => IsMonthFirst ? "month first" : "day first";

    // English names whatever the country: InvariantCulture's are English, and its own patterns are never used.
    private static string Format(LocalDate date, string pattern) => date.ToString(pattern, CultureInfo.InvariantCulture);
}
