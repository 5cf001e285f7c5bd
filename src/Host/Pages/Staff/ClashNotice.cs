using System.Text.Json;
using Booking.Appointments.Contracts;
using Booking.Host.Pages.Staff.Diary;

namespace Booking.Host.Pages.Staff;

/// <summary>
/// After an exception, busy time or a weekly roster is saved over live appointments: the lines the next page lists under the save
/// notice ("1 appointment is outside these hours: Noah New, 11:00–12:00 Massage"), each linking to the appointment's
/// page. Kept in TempData as JSON over the redirect. Nothing was cancelled; the notice says so.
/// </summary>
public sealed record ClashNotice(string Heading, IReadOnlyList<ClashNotice.Line> Lines, int More = 0)
{
    /// <summary>The most lines carried: TempData is a cookie, and a busy day closed could list dozens.</summary>
    public const int MaxLines = 10;

    public sealed record Line(Guid AppointmentId, string Text);

    /// <summary>What staff can do about them: there is no moving an appointment, so another time is booked and the old
    /// one cancelled (each appointment's page cancels it, and the client is told as with any cancellation).</summary>
    public const string Footer = "Nothing was cancelled. Contact each client to agree what to do: to change a time, book the new one, then cancel the old one.";

    /// <param name="what">How the clash is put: "outside these hours", "in this busy time".</param>
    /// <param name="withDates">
    /// Each line with its date ("Thursday 10 December 2026, 11:00–12:00"): the clashes of a weekly roster change fall on
    /// many dates; those of one exception or busy time on the one the page just named.
    /// </param>
    public static string? Write(IReadOnlyList<AppointmentClash>? clashes, DiaryTime time, string what, bool withDates = false)
    {
        if (clashes is not { Count: > 0 })
        {
            return null;
        }

        var heading = clashes.Count == 1 ? $"1 appointment is {what}:" : $"{clashes.Count} appointments are {what}:";
        var lines = clashes.Take(MaxLines).Select(c => new Line(c.AppointmentId,
            $"{c.ClientName}, {(withDates ? time.LongSpan(c.Start, c.End) : time.Span(c.Start, c.End))} {c.ServiceName}{StatusNote(c.Status)}")).ToList();
        return JsonSerializer.Serialize(new ClashNotice(heading, lines, clashes.Count - lines.Count));
    }

    public static ClashNotice? Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ClashNotice>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string StatusNote(string status) => status switch
    {
        "requested" => " (booking request)",
        "cancellation-requested" => " (cancellation requested)",
        _ => "",
    };
}
