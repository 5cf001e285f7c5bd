using System.Globalization;
using Booking.Appointments.Features.Requests;
using Booking.Appointments.Features.StaffDiary;
using Booking.BuildingBlocks.Time;
using Booking.Host.Pages.Staff.Diary;

namespace Booking.Host.Pages.Staff.Requests;

/// <summary>The request card's facts in words (decision 276).</summary>
public static class RequestCardWords
{
    /// <summary>"New client: no past visits", "Returning: 4 past visits, 1 no-show", "No past visits, 2 no-shows".</summary>
    public static string Visits(RequestClientFacts facts)
    {
        var noShows = facts.NoShows == 0 ? "" : Count(facts.NoShows, "no-show");
        return (facts.PastVisits, facts.NoShows) switch
        {
            (0, 0) => "New client: no past visits",
            (0, _) => $"No past visits, {noShows}",
            _ => $"Returning: {Count(facts.PastVisits, "past visit")}" + (noShows.Length > 0 ? $", {noShows}" : ""),
        };
    }

    /// <summary>
    /// How far inside the cancellation window the client asked: "Asked 30 hours before the start: 18 hours inside the
    /// 2-day window." The window is the appointment's own (decision 270); without one, only how long before the start.
    /// </summary>
    public static string InsideWindow(DateTimeOffset requestedAt, DateTimeOffset start, int? windowHours)
    {
        var before = start - requestedAt;
        var asked = before > TimeSpan.Zero ? $"Asked {Length(before)} before the start" : "Asked after the start";
        if (windowHours is not { } hours || hours <= 0)
        {
            return asked + ".";
        }

        var inside = TimeSpan.FromHours(hours) - (before > TimeSpan.Zero ? before : TimeSpan.Zero);
        return inside > TimeSpan.Zero
            ? $"{asked}: {Length(inside)} inside the {Window(hours)} window."
            : $"{asked}, outside the {Window(hours)} window.";
    }

    /// <summary>The window's length before "window": "24-hour", "2-day", "1-hour" (as NoticePeriod counts it, hyphenated).</summary>
    public static string Window(int hours) =>
        hours >= 48 && hours % 24 == 0
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{hours / 24}-day")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{hours}-hour");

    /// <summary>"Busy time 'Staff meeting' 14:00–15:00 covers this request now." (each block, soonest first).</summary>
    public static string BusyTime(DiaryTime time, IReadOnlyList<BusyBlockView> blocks)
    {
        var named = blocks.Select(b => $"{RequestConcerns.Named(b.Note)}{time.Span(b.Start, b.End)}").ToList();
        return named.Count switch
        {
            0 => "Busy time covers this request now.",
            1 => $"Busy time {named[0]} covers this request now: it was put in the diary after the request was made.",
            _ => $"Busy time {string.Join(" and ", named)} cover this request now: they were put in the diary after the request was made.",
        };
    }

    /// <summary>What the second press confirms: "outside Dr Alpha's working hours now" (or "on a day the business is closed: Saturday 12 December 2026 (Christmas)", decision 289), "over busy time now", or both.</summary>
    public static string ConfirmWhat(IReadOnlyList<string> concerns, string diary, string? closure = null)
    {
        var outside = !concerns.Contains(RequestConcerns.OutsideHours) ? null
            : closure is not null ? $"on a day the business is closed: {closure}"
            : $"outside {diary}'s working hours now";
        var busy = concerns.Contains(RequestConcerns.BusyTime) ? "over busy time in the diary now" : null;
        var booked = concerns.Contains(RequestConcerns.ClientBooked) ? "at a time the client is already booked" : null;
        return string.Join(" and ", new[] { outside, busy, booked }.OfType<string>());
    }

    /// <summary>"Pat Owner already has Full groom with Grace at 9:00 for Rex." (each, soonest first; decision 338).</summary>
    public static string ClientBooked(DiaryTime time, IReadOnlyList<Booking.Appointments.Features.StaffAppointments.ClientBookedView> booked) =>
        booked.Count == 0
            ? "The client already has another appointment at this time."
            : string.Join(" ", booked.Select(b => RequestConcerns.ClientBookedWords(b, time.TimeOf) + "."));

    /// <summary>"40 minutes", "5 hours 20 minutes", "3 days 4 hours".</summary>
    public static string Length(TimeSpan span)
    {
        var minutes = (long)Math.Floor(span.TotalMinutes);
        if (minutes < 60)
        {
            return Count(minutes, "minute");
        }

        if (minutes < 48 * 60)
        {
            var h = minutes / 60;
            var m = minutes % 60;
            return Count(h, "hour") + (m == 0 ? "" : " " + Count(m, "minute"));
        }

        var days = minutes / (24 * 60);
        var hoursLeft = minutes % (24 * 60) / 60;
        return Count(days, "day") + (hoursLeft == 0 ? "" : " " + Count(hoursLeft, "hour"));
    }

    private static string Count(long n, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {what}{(n == 1 ? "" : "s")}");
}
