using System.Text.Json;
using Booking.Appointments.Contracts;
using Booking.Host.Pages.Staff.Diary;

namespace Booking.Host.Pages.Staff;

/// <summary>
/// After an exception, busy time or a weekly roster is saved over live appointments: the lines the next page lists under the save
/// notice ("1 appointment is outside these hours: Noah New, 11:00–12:00 Massage"), each linking to the appointment's
/// page. Kept in TempData as JSON over the redirect. Nothing was cancelled; the notice says so. With a <see cref="Scope"/>
/// (a dated exception saved or removed, busy time added), owners and admins also get a form under it to cancel them all
/// with one reason (/staff/diary/cancel-clashes, decision 279), which finds them again from the scope: the notice carries
/// at most <see cref="MaxLines"/> lines, and the ids it names are not trusted.
/// </summary>
public sealed record ClashNotice(string Heading, IReadOnlyList<ClashNotice.Line> Lines, int More = 0, ClashScope? Scope = null, bool Requests = false)
{
    /// <summary>The most lines carried: TempData is a cookie, and a busy day closed could list dozens.</summary>
    public const int MaxLines = 10;

    public sealed record Line(Guid AppointmentId, string Text);

    /// <summary>What staff can do about them when the form to cancel them all is not offered (a weekly roster's change).</summary>
    public const string Footer = "Nothing was cancelled yet. Open an appointment to move or cancel it.";

    /// <summary>The same, above the form that cancels them all (each appointment's page still moves or cancels one).</summary>
    public const string FooterWithForm = "Nothing was cancelled yet. Open an appointment to move it, or cancel them all below.";

    /// <summary>
    /// The footer for this notice: with a booking request among them, which is declined rather than moved or cancelled,
    /// it says so (decision 293; the review's busy time over a waiting request read "Open an appointment to move it").
    /// </summary>
    public string FooterFor(bool offerForm) => (offerForm, Requests) switch
    {
        (true, true) => "Nothing was cancelled yet. Open an appointment to move it, or a booking request to decline it, or cancel them all below.",
        (false, true) => "Nothing was cancelled yet. Open an appointment to move or cancel it, or a booking request to decline it.",
        (true, false) => FooterWithForm,
        _ => Footer,
    };

    /// <summary>How many appointments the save left out (the heading's number), lines shown or not.</summary>
    public int Count => Lines.Count + More;

    /// <param name="what">How the clash is put: "outside these hours", "in this busy time".</param>
    /// <param name="withDates">
    /// Each line with its date ("Thursday 10 December 2026, 11:00–12:00"): the clashes of a weekly roster change fall on
    /// many dates; those of one exception or busy time on the one the page just named.
    /// </param>
    /// <param name="scope">Where to find them again for the form that cancels them all; null offers no form.</param>
    public static string? Write(IReadOnlyList<AppointmentClash>? clashes, DiaryTime time, string what, bool withDates = false, ClashScope? scope = null)
    {
        if (clashes is not { Count: > 0 })
        {
            return null;
        }

        var heading = clashes.Count == 1 ? $"1 appointment is {what}:" : $"{clashes.Count} appointments are {what}:";
        var lines = clashes.Take(MaxLines).Select(c => new Line(c.AppointmentId, LineText(c, time, withDates))).ToList();
        return JsonSerializer.Serialize(new ClashNotice(heading, lines, clashes.Count - lines.Count, scope, clashes.Any(c => c.Status == "requested")));
    }

    /// <summary>One appointment as the notice and the cancel-them-all page name it: client, time, service (and what it waits for).</summary>
    public static string LineText(AppointmentClash c, DiaryTime time, bool withDates) =>
        $"{c.ClientName}, {(withDates ? time.LongSpan(c.Start, c.End) : time.Span(c.Start, c.End))} {c.ServiceName}{StatusNote(c.Status)}";

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

/// <summary>
/// Where a save's clashes are found again (<see cref="ClashNotice.Scope"/>): the diary's live appointments on the dates
/// <see cref="From"/>–<see cref="To"/> (ISO, the business's zone) that the diary marks with <see cref="Concern"/>
/// (<c>outside-hours</c>, <c>busy-time</c>); for busy time also overlapping <see cref="Start"/>–<see cref="End"/>.
/// </summary>
public sealed record ClashScope(Guid DiaryId, string From, string To, string Concern, DateTimeOffset? Start = null, DateTimeOffset? End = null)
{
    public const string OutsideHours = "outside-hours";

    public const string BusyTime = "busy-time";

    /// <summary>The hours of <paramref name="first"/>–<paramref name="last"/> leave these out (an exception saved or removed).</summary>
    public static ClashScope Hours(Guid diaryId, NodaTime.LocalDate first, NodaTime.LocalDate last) =>
        new(diaryId, DiaryTime.Iso(first), DiaryTime.Iso(last < first ? first : last), OutsideHours);

    /// <summary>The <see cref="DiaryId"/> of a scope over every diary: the business closed on those dates (decision 289).</summary>
    public static readonly Guid EveryDiary = Guid.Empty;

    /// <summary>The business closed on <paramref name="first"/>–<paramref name="last"/>: every diary's live appointments then.</summary>
    public static ClashScope BusinessClosed(NodaTime.LocalDate first, NodaTime.LocalDate last) => Hours(EveryDiary, first, last);

    /// <summary>Busy time from <paramref name="start"/> to <paramref name="end"/> overlaps these.</summary>
    public static ClashScope Busy(Guid diaryId, DateTimeOffset start, DateTimeOffset end, DiaryTime time) =>
        new(diaryId, DiaryTime.Iso(time.LocalDateOf(start)), DiaryTime.Iso(time.LocalDateOf(end.AddTicks(-1))), BusyTime, start, end);
}
