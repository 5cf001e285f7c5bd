using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Booking.Host.Pages.Staff.Diary;

/// <summary>The business's local dates and times for diary pages (NodaTime, in the business's IANA zone).</summary>
public sealed class DiaryTime(string timeZone, TimeProvider clock)
{
    public DateTimeZone Zone { get; } = DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) ?? DateTimeZone.Utc;

    public LocalDate Today => Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(Zone).Date;

    public static LocalDate? ParseDate(string? text) =>
        text is not null && LocalDatePattern.Iso.Parse(text.Trim()) is { Success: true } r ? r.Value : null;

    public static LocalTime? ParseTime(string? text) =>
        text is not null && LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(text.Trim()) is { Success: true } r ? r.Value : null;

    /// <summary>A wall-clock date and time as an instant with the business's offset (a time skipped by DST moves forward).</summary>
    public DateTimeOffset At(LocalDate date, LocalTime time) => date.At(time).InZoneLeniently(Zone).ToDateTimeOffset();

    public static string Iso(LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Long(LocalDate date) => date.ToString("dddd d MMMM yyyy", CultureInfo.GetCultureInfo("en-AU"));

    public static string Short(LocalDate date) => date.ToString("ddd d MMM", CultureInfo.GetCultureInfo("en-AU"));

    public static string Time(DateTimeOffset at) => at.ToString("HH:mm", CultureInfo.InvariantCulture);

    public static LocalDate DateOf(DateTimeOffset at) => LocalDate.FromDateTime(at.DateTime);
}
