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
    /// 10:00–10:45 AEDT" ("…, 9:00–9:45 AM AEDT"; month first "Tuesday, December 8, 2026, 11:30 AM–12:15 PM EST").
    /// <see cref="Span"/> with <see cref="SpanDate.Long"/> and <see cref="SpanZone.Always"/>.
    /// </summary>
    public string LongSpanWithZone(ZonedDateTime start, ZonedDateTime end, DateStyle dates) =>
        Span(start, end, dates, SpanDate.Long, SpanZone.Always);

    /// <summary>
    /// Two times of one day: "09:00–10:00", "9:00–10:00 AM", "11:30 AM–12:15 PM" (the en dash without spaces; on the
    /// 12-hour clock AM or PM once when both times share it).
    /// </summary>
    public string Range(LocalTime start, LocalTime end) => Join(start, Time(start), end, Time(end), startMarked: false);

    /// <summary>
    /// A roster's wire times ("HH:mm", "24:00" the midnight that ends a day) as a range (<see cref="Range"/>): "9:00 AM–5:00
    /// PM", "9:00 AM–12:00 AM" (the end of the day keeps both markers: it is not the morning's). Text that is not such a
    /// time is written as it is.
    /// </summary>
    public string WireRange(string? start, string? end) =>
        TryWire(start, out var from) && TryWire(end, out var until)
            ? Range(from, until)
            : $"{WireTime(start)}–{WireTime(end)}";

    /// <summary>
    /// Every range of an appointment, busy time or working hours the product writes for people (pages and emails), in
    /// one shape: the date once when both ends fall on one day of the zone, then the two times joined by an en dash
    /// without spaces, and on the 12-hour clock AM or PM once when both share it ("Tuesday 8 December 2026, 9:00–10:00
    /// AM", "…, 11:30 AM–12:15 PM"). One that runs past midnight (or ends at the midnight after) writes both dates, the
    /// dash spaced: "Tuesday 8 December 2026, 23:30 – Wednesday 9 December 2026, 00:15". The business's clock (this
    /// format) and date order (<paramref name="dates"/>) are the business's, as for a single time.
    /// </summary>
    /// <param name="date">Which dates: <see cref="SpanDate.Long"/> always, <see cref="SpanDate.WhenNeeded"/> (a diary's day)
    /// only past midnight, and then short ("Tue 8 Dec 23:30 – Wed 9 Dec 00:15").</param>
    /// <param name="zone">The zone's abbreviation: <see cref="SpanZone.Always"/> (emails, read anywhere), or
    /// <see cref="SpanZone.OnChangeDay"/> (pages: only on a day the clocks change, <see cref="ZoneAbbreviation.OnChangeDay"/>).
    /// Written once at the end when both ends share it, after each time when they differ ("01:30 EDT–01:15 EST"); on pages,
    /// a range whose one end falls on a change day names both ends' zones ("Sat 27 Mar 22:00 GMT – Sun 28 Mar 03:00 BST").</param>
    public string Span(ZonedDateTime start, ZonedDateTime end, DateStyle dates, SpanDate date = SpanDate.Long, SpanZone zone = SpanZone.OnChangeDay)
    {
        var (startZone, endZone) = zone == SpanZone.Always
            ? (ZoneAbbreviation.Of(start), ZoneAbbreviation.Of(end))
            : (ZoneAbbreviation.OnChangeDay(start), ZoneAbbreviation.OnChangeDay(end));
        // A range over several days with one end on a change day: the other end names its own zone too, or the one name
        // written would read as both ends' ("22:00 – 03:00 BST" for a start in GMT; review s31 #7).
        if ((startZone is null) != (endZone is null))
        {
            (startZone, endZone) = (ZoneAbbreviation.Of(start), ZoneAbbreviation.Of(end));
        }

        var startMarked = startZone is not null && startZone != endZone;
        var from = startMarked ? Time(start) + " " + startZone : Time(start);
        var until = endZone is null ? Time(end) : Time(end) + " " + endZone;
        if (start.Date == end.Date)
        {
            var times = Join(start.TimeOfDay, from, end.TimeOfDay, until, startMarked);
            return date == SpanDate.Long ? $"{dates.Long(start.Date)}, {times}" : times;
        }

        return date == SpanDate.Long
            ? $"{dates.Long(start.Date)}, {from} – {dates.Long(end.Date)}, {until}"
            : $"{dates.ShortThen(start.Date, from)} – {dates.ShortThen(end.Date, until)}";
    }

    /// <summary>The two times of one day joined: the start's AM or PM left out when the end says the same one (and no
    /// zone stands between them).</summary>
    private string Join(LocalTime start, string from, LocalTime end, string until, bool startMarked)
    {
        if (!IsTwentyFourHour && !startMarked && start.Hour < 12 == end.Hour < 12)
        {
            from = start.ToString("h:mm", CultureInfo.InvariantCulture);
        }

        return from + "–" + until;
    }

    private static bool TryWire(string? text, out LocalTime time)
    {
        time = default;
        if (text is null || text == "24:00")
        {
            return false;
        }

        var ok = TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t);
        time = ok ? LocalTime.FromTimeOnly(t) : default;
        return ok;
    }

    public override string ToString() => Code;
}

/// <summary>Which dates a <see cref="TimeFormat.Span"/> writes.</summary>
public enum SpanDate
{
    /// <summary>The long date, once on one day ("Tuesday 8 December 2026, 9:00–10:00 AM"), both past midnight.</summary>
    Long,

    /// <summary>No date on one day ("9:00–10:00 AM": a diary's day already says it); short dates past midnight.</summary>
    WhenNeeded,
}

/// <summary>When a <see cref="TimeFormat.Span"/> names the zone's abbreviation.</summary>
public enum SpanZone
{
    /// <summary>Only on a day the clocks change (pages: the business's own zone is understood).</summary>
    OnChangeDay,

    /// <summary>Always (emails and texts, read anywhere).</summary>
    Always,
}
