using System.Collections.Concurrent;
using System.Globalization;
using NodaTime;

namespace Booking.BuildingBlocks.Time;

/// <summary>
/// How a business's times of day are shown to people: a 12-hour clock ("2:30 PM") or a 24-hour one ("14:30"). One
/// clock per business, on every page, email and text that shows a time (not the machine forms: ISO 8601, the roster
/// API's "HH:mm", an input's value). The business's setting wins (<see cref="Codes"/>: "12h", "24h"); without one its
/// country's usual clock, as CLDR gives it (<see cref="ForCountry"/>).
/// </summary>
public sealed class TimeFormat
{
    public const string TwelveHourCode = "12h";
    public const string TwentyFourHourCode = "24h";

    /// <summary>The setting's values (null: the country's usual clock).</summary>
    public static readonly IReadOnlyList<string> Codes = [TwelveHourCode, TwentyFourHourCode];

    public static readonly TimeFormat TwelveHour = new(TwelveHourCode, "h:mm tt");
    public static readonly TimeFormat TwentyFourHour = new(TwentyFourHourCode, "HH:mm");

    private static readonly ConcurrentDictionary<string, TimeFormat> ByCountry = new(StringComparer.OrdinalIgnoreCase);

    private readonly string pattern;

    private TimeFormat(string code, string pattern)
    {
        Code = code;
        this.pattern = pattern;
    }

    /// <summary>"12h" or "24h", as the setting writes it.</summary>
    public string Code { get; }

    public bool IsTwentyFourHour => ReferenceEquals(this, TwentyFourHour);

    /// <summary>A setting's value read back: "12h", "24h", or null for anything else (the country's clock then).</summary>
    public static TimeFormat? FromCode(string? code) => code switch
    {
        TwelveHourCode => TwelveHour,
        TwentyFourHourCode => TwentyFourHour,
        _ => null,
    };

    /// <summary>The business's clock: its own setting, else its country's.</summary>
    public static TimeFormat For(string? countryCode, string? setting) => FromCode(setting) ?? ForCountry(countryCode);

    /// <summary>
    /// The clock a country's people usually read, from CLDR through .NET's ICU cultures: the short time pattern of
    /// English as written in that country ("en-GB" "HH:mm": 24-hour; "en-AU" "h:mm a": 12-hour). English because every
    /// text of the product is English; ICU gives such a locale its region's preferred hour cycle (CLDR's time data), so
    /// it agrees with the country's own language (en-DE and de-DE, en-JP and ja-JP, en-MX and es-MX: 24-hour; en-KR and
    /// ko-KR, en-EG and ar-EG: 12-hour). CLDR says 24-hour for GB, IE, DE, FR, NL, ZA …, 12-hour for US, CA, AU, NZ,
    /// IN, PH, SG …. A country ICU does not know (or none) gets the 24-hour clock, the one that cannot be misread.
    /// </summary>
    public static TimeFormat ForCountry(string? countryCode)
    {
        var country = (countryCode ?? "").Trim();
        if (country.Length != 2 || !country.All(char.IsAsciiLetter))
        {
            return TwentyFourHour;
        }

        return ByCountry.GetOrAdd(country.ToUpperInvariant(), static c =>
        {
            try
            {
                var culture = CultureInfo.GetCultureInfo("en-" + c);
                return culture.DateTimeFormat.ShortTimePattern.Contains('H', StringComparison.Ordinal) ? TwentyFourHour : TwelveHour;
            }
            catch (CultureNotFoundException)
            {
                return TwentyFourHour;
            }
        });
    }

    /// <summary>"2:30 PM" or "14:30". The 12-hour clock writes AM/PM after a plain space (CLDR's own narrow no-break
    /// space would not survive SMS's GSM alphabet nor plain-text tests), the 24-hour one two-digit hours.</summary>
    public string Time(LocalTime time) => time.ToString(pattern, CultureInfo.InvariantCulture);

    /// <summary>The wall-clock time of an instant in its zone ("2:30 PM" / "14:30"), without the zone.</summary>
    public string Time(ZonedDateTime zoned) => Time(zoned.TimeOfDay);

    /// <summary>
    /// A roster's wire time ("HH:mm", "24:00" for the midnight that ends a day) as people read it: "24:00" stays itself
    /// on a 24-hour clock and is "12:00 AM" on a 12-hour one. Anything that is not such a time is given back as it is.
    /// </summary>
    public string WireTime(string? text)
    {
        if (text is null)
        {
            return "";
        }

        if (text == "24:00")
        {
            return IsTwentyFourHour ? text : Time(LocalTime.Midnight);
        }

        return TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? Time(LocalTime.FromTimeOnly(t))
            : text;
    }

    /// <summary>
    /// "Tuesday 24 March 2026 at 9:00 AM" (or "… at 09:00"; "Tuesday, March 24, 2026 at 9:00 AM" month first): the long
    /// phrase emails and texts use, the date in the business's <paramref name="dates"/>, without the zone.
    /// </summary>
    public string LongDateTime(ZonedDateTime zoned, DateStyle dates) => dates.Long(zoned.Date) + " at " + Time(zoned);

    /// <summary>"Tuesday 24 March 2026 at 9:00 AM AEDT": the long phrase with the zone's abbreviation (emails, texts).</summary>
    public string LongDateTimeWithZone(ZonedDateTime zoned, DateStyle dates) => LongDateTime(zoned, dates) + " " + ZoneAbbreviation.Of(zoned);

    /// <summary>
    /// An appointment's date and times in one phrase, with the zone's abbreviation (emails): "Tuesday 8 December 2026,
    /// 10:00–10:45 AEDT" ("…, 9:00 AM–9:45 AM AEDT"; month first "Tuesday, December 8, 2026, 9:00 AM–9:45 AM EST"). The
    /// date is written once when both ends fall on one day of the zone, and the abbreviation once at the end unless the
    /// two differ (the night the clocks go back: "01:30 EDT–01:15 EST"). One that runs past midnight names both days:
    /// "Tuesday 8 December 2026, 23:30 – Wednesday 9 December 2026, 00:15 AEDT". The staff pages' long span has the
    /// same shape (without the zone on ordinary days).
    /// </summary>
    public string LongSpanWithZone(ZonedDateTime start, ZonedDateTime end, DateStyle dates)
    {
        var (startZone, endZone) = (ZoneAbbreviation.Of(start), ZoneAbbreviation.Of(end));
        var from = startZone == endZone ? Time(start) : Time(start) + " " + startZone;
        var until = Time(end) + " " + endZone;
        return start.Date == end.Date
            ? $"{dates.Long(start.Date)}, {from}–{until}"
            : $"{dates.Long(start.Date)}, {from} – {dates.Long(end.Date)}, {until}";
    }

    public override string ToString() => Code;
}
