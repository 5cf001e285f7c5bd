using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.Appointments.Features.Scheduling;
using Booking.Appointments.Features.StaffDiary;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Time;
using Booking.Roster.Contracts;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Booking.Appointments.Features.Requests;

/// <summary>
/// What changed under a waiting booking request since it was made, so accepting it needs the caller's confirmation
/// (decision 269, and decision 276 for busy time): its time is outside the diary's working hours now
/// (<see cref="RequestHours"/>), or a busy block of the diary overlaps it now (a staff meeting put over it). Each is
/// confirmed by naming it in <c>?confirm=</c>; both at once by naming both, comma-separated
/// (<c>confirm=outside-hours,busy-time</c>), the 409's <c>concerns</c> joined. And <c>client-booked</c> (decision 338): the
/// client already holds another live appointment overlapping it (<see cref="OwnOverlap"/>; in a pet business only one for
/// the same pet or without a pet), as the staff booking check names it.
/// </summary>
public static class RequestConcerns
{
    public const string OutsideHours = DiaryClashes.OutsideHours;

    public const string BusyTime = DiaryClashes.BusyTime;

    public const string ClientBooked = StaffAppointments.StaffBookingConcerns.ClientBooked;

    /// <summary>The concerns a caller may confirm, in the order they are listed.</summary>
    public static readonly IReadOnlyList<string> All = [OutsideHours, BusyTime, ClientBooked];

    /// <summary>The concerns <paramref name="confirm"/> names (comma-separated, in any order); null when it names anything else.</summary>
    public static IReadOnlySet<string>? Confirmed(string? confirm)
    {
        if (confirm is null)
        {
            return new HashSet<string>();
        }

        var named = confirm.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return named.Count > 0 && named.All(All.Contains) ? named : null;
    }

    /// <summary>
    /// Per booking request, the diary's busy blocks that overlap its time (start to end, as the diary marks
    /// <c>busy-time</c>), soonest first: one read of the blocks of the requests' diaries across their span.
    /// </summary>
    public static async Task<ILookup<Guid, BusyBlock>> BusyTimeAsync(AppointmentsDbContext db, IReadOnlyList<Appointment> requests, CancellationToken ct)
    {
        if (requests.Count == 0)
        {
            return Array.Empty<(Guid, BusyBlock)>().ToLookup(x => x.Item1, x => x.Item2);
        }

        var diaries = requests.Select(a => a.DiaryId).Distinct().ToList();
        var from = requests.Min(a => a.StartAt);
        var to = requests.Max(a => a.EndAt);
        var blocks = await db.BusyBlocks.AsNoTracking()
            .Where(b => diaries.Contains(b.DiaryId) && b.StartAt < to && b.EndAt > from)
            .OrderBy(b => b.StartAt).ToListAsync(ct);
        return requests
            .SelectMany(a => blocks.Where(b => b.DiaryId == a.DiaryId && b.StartAt < a.EndAt && b.EndAt > a.StartAt).Select(b => (a.Id, b)))
            .ToLookup(x => x.Id, x => x.b);
    }

    /// <summary>
    /// Per booking request, the client's other live appointments its time overlaps (<see cref="OwnOverlap"/>), soonest
    /// first: one read of the requests' clients' live appointments across their span.
    /// </summary>
    public static async Task<ILookup<Guid, Appointment>> ClientBookedAsync(AppointmentsDbContext db, IReadOnlyList<Appointment> requests, CancellationToken ct)
    {
        if (requests.Count == 0)
        {
            return Array.Empty<(Guid, Appointment)>().ToLookup(x => x.Item1, x => x.Item2);
        }

        var clients = requests.Select(a => a.ClientId).Distinct().ToList();
        var from = requests.Min(a => a.StartAt);
        var to = requests.Max(a => a.EndAt);
        var held = await db.Appointments.AsNoTracking()
            .Where(o => clients.Contains(o.ClientId) && o.StartAt < to && o.EndAt > from
                && (o.Status == AppointmentStatus.Requested || o.Status == AppointmentStatus.Confirmed || o.Status == AppointmentStatus.CancellationRequested))
            .OrderBy(o => o.StartAt).ThenBy(o => o.Id).ToListAsync(ct);
        return requests
            .SelectMany(a => held.Where(o => o.Id != a.Id && OwnOverlap.Holds(o, a.ClientId, a.StartAt, a.EndAt, a.PetId)).Select(o => (a.Id, o)))
            .ToLookup(x => x.Id, x => x.o);
    }

    /// <summary>
    /// 409 <c>slot-unavailable</c> with <c>concerns</c> (those not confirmed, in <see cref="All"/>'s order) and, for busy
    /// time, <c>busyTime</c> [{id, diaryId, start, end, note}] (as the staff booking check lists it); the detail names the
    /// diary and each block ("Busy time 'Staff meeting' 2:00 PM–3:00 PM covers the requested time now").
    /// </summary>
    /// <remarks>
    /// Outside hours because the business closed the date (decision 289) is said as that closure ("The business is closed
    /// on Saturday 12 December 2026 (Christmas)"): the diary's own hours never changed.
    /// </remarks>
    public static async Task<ProblemException> NeedsConfirmingAsync(IReadOnlyList<string> concerns, string diaryName, IReadOnlyList<BusyBlock> busy,
        Schedule schedule, ISender sender, Appointment appointment, string? countryCode, CancellationToken ct,
        IReadOnlyList<StaffAppointments.ClientBookedView>? clientBooked = null)
    {
        var diary = diaryName.Length > 0 ? diaryName + "'s" : "the diary's";
        var outside = concerns.Contains(OutsideHours);
        var overBusy = concerns.Contains(BusyTime);
        List<string> said = [];
        if (outside)
        {
            var closed = ClosedDates(await ClosedOnAsync(sender, schedule.Zone, appointment.StartAt, appointment.EndAt, ct), DateStyle.ForCountry(countryCode));
            said.Add(closed is not null
                ? $"The business is closed on {closed}: the requested time is no longer open."
                : $"The requested time is no longer inside {diary} working hours: they were changed after the request was made.");
        }

        if (overBusy)
        {
            var settings = await sender.Send(new GetPortalSettings(), ct);
            var clock = TimeFormat.For(null, settings.TimeFormatInEffect);
            string At(Instant i) => clock.Time(i.InZone(schedule.Zone));
            said.AddRange(busy.Select(b => $"Busy time {Named(b.Note)}{At(b.StartAt)}–{At(b.EndAt)} covers the requested time now: it was put in {diary} diary after the request was made."));
        }

        var booked = clientBooked ?? [];
        if (concerns.Contains(ClientBooked))
        {
            var settings = await sender.Send(new GetPortalSettings(), ct);
            var clock = TimeFormat.For(null, settings.TimeFormatInEffect);
            said.AddRange(booked.Select(b => ClientBookedWords(b, i => clock.Time(Instant.FromDateTimeOffset(i).InZone(schedule.Zone))) + "."));
        }

        var title = (outside, overBusy) switch
        {
            (true, true) => "Outside the diary's hours and over busy time now",
            (true, false) => "Outside the diary's hours now",
            (false, true) => "Over busy time now",
            _ => "The client already has an appointment then",
        };
        var problem = new ProblemException(ProblemKinds.SlotUnavailable, 409, title,
            string.Join(" ", said) + $" Confirm the booking anyway (confirm={string.Join(',', concerns)}) to book it at that time, or decline the request.");
        problem.Extensions["concerns"] = concerns.ToArray();
        if (overBusy)
        {
            problem.Extensions["busyTime"] = busy.Select(b => StaffViews.View(b, schedule)).ToArray();
        }

        if (booked.Count > 0)
        {
            problem.Extensions["clientBooked"] = booked.ToArray();
        }

        return problem;
    }

    /// <summary>The business's closed days (decision 289) on the local dates an appointment spans, soonest first.</summary>
    public static async Task<IReadOnlyList<BusinessClosedDayView>> ClosedOnAsync(ISender sender, DateTimeZone zone, Instant start, Instant end, CancellationToken ct)
    {
        var first = start.InZone(zone).Date;
        var last = (end > start ? end - Duration.Epsilon : start).InZone(zone).Date;
        return (await sender.Send(new GetBusinessClosedDays(first.ToDateOnly(), last.ToDateOnly()), ct)).OrderBy(c => c.Date).ToList();
    }

    /// <summary>
    /// "Saturday 12 December 2026 (Christmas)" (the business's date style, the label when it has one; several joined by
    /// "and"); null for none: the words the 409 and the staff Requests page name a closure with.
    /// </summary>
    public static string? ClosedDates(IReadOnlyList<BusinessClosedDayView> closed, DateStyle dates) =>
        closed.Count == 0
            ? null
            : string.Join(" and ", closed.Select(c => dates.Long(LocalDate.FromDateOnly(c.Date)) + (string.IsNullOrWhiteSpace(c.Label) ? "" : $" ({c.Label.Trim()})")));

    /// <summary>
    /// "Pat Owner already has Full groom with Grace at 9:00 for Rex" (no "for" without a pet): a <c>client-booked</c>
    /// concern's words, the staff pages' and the 409's (decision 338). <paramref name="time"/> says a start as the page does.
    /// </summary>
    public static string ClientBookedWords(StaffAppointments.ClientBookedView b, Func<DateTimeOffset, string> time) =>
        $"{Or(b.Client.Name, "The client")} already has {Or(b.Service.Name, "an appointment")}{(b.Diary.Name.Length > 0 ? " with " + b.Diary.Name : "")} at {time(b.Start)}"
        + (b.Pet is { } pet && pet.Name.Length > 0 ? $" for {pet.Name}" : "")
        + (b.Status == AppointmentStatus.Requested ? " (requested)" : "");

    private static string Or(string name, string otherwise) => string.IsNullOrWhiteSpace(name) ? otherwise : name;

    /// <summary>"'Staff meeting' " for a block with a note, else nothing: the words read "Busy time 2:00 PM–3:00 PM".</summary>
    public static string Named(string? note) =>
        string.IsNullOrWhiteSpace(note) ? "" : $"'{Short(note.ReplaceLineEndings(" ").Trim())}' ";

    private static string Short(string note) => note.Length > 60 ? note[..60].TrimEnd() + "…" : note;
}
