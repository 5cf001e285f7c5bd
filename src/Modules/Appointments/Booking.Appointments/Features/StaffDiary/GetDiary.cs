using System.Text.Json.Serialization;
using Booking.Appointments.Contracts;
using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.Appointments.Features.Availability;
using Booking.Appointments.Features.Clashes;
using Booking.Appointments.Features.Scheduling;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.Roster.Contracts;
using Booking.Tenancy.Contracts;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Booking.Appointments.Features.StaffDiary;

/// <remarks>Ended: how it ended, null while it stands (<see cref="AppointmentEndings"/>: <c>withdrawn</c>, <c>declined</c>, <c>request-cancelled</c>, <c>cancelled</c>).</remarks>
public sealed record StaffAppointmentView(
    Guid Id, Guid DiaryId, DateTimeOffset Start, DateTimeOffset End, string Status, string Source, NamedRef Service, NamedRef Client,
    NamedRef? Pet, string? Note, int? AcceptedTermsVersion, string? CancelReason, string? Ended)
{
    /// <summary>
    /// The diary's answer only (left out elsewhere): what a live appointment clashes with, <see cref="DiaryClashes"/>
    /// (<c>outside-hours</c>, <c>busy-time</c>); empty when nothing, and for cancelled, declined and marked ones.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Clashes { get; init; }

    /// <summary>
    /// When the client withdrew their cancellation request of this appointment (Keep my appointment), while it is
    /// confirmed again; null when they never did, or asked again since. Beyond API.md (docs/api-additions.md).
    /// </summary>
    public DateTimeOffset? CancellationWithdrawnAt { get; init; }

    // Who did what (session 33, decision 269; docs/api-additions.md). A staff member's ref is null when it was not kept
    // (before session 33: the answer says only "staff") or the member has since left the team.

    /// <summary>When it was booked (or filed as a request).</summary>
    public DateTimeOffset BookedAt { get; init; }

    /// <summary>The staff member who booked it (<c>source</c> <c>staff</c>), as {<c>id</c>, <c>name</c>}.</summary>
    public NamedRef? BookedByStaff { get; init; }

    /// <summary>When it was cancelled or declined; null while it holds its time.</summary>
    public DateTimeOffset? CancelledAt { get; init; }

    /// <summary>Who cancelled or declined it: <c>client</c> or <c>staff</c>; null while it holds its time.</summary>
    public string? CancelledBy { get; init; }

    /// <summary>The staff member who cancelled or declined it.</summary>
    public NamedRef? CancelledByStaff { get; init; }

    /// <summary>Staff's own note (<c>PUT /api/v1/admin/appointments/{id}</c>); never shown to the client.</summary>
    public string? StaffNote { get; init; }

    /// <summary>When the staff note was last saved, and by whom.</summary>
    public DateTimeOffset? StaffNoteUpdatedAt { get; init; }

    public NamedRef? StaffNoteUpdatedBy { get; init; }

    /// <summary>What the service cost when booked (beyond API.md); null for appointments booked before prices were kept (decision 270).</summary>
    public Booking.Appointments.Features.PortalAppointments.AppointmentPrice? Price { get; init; }

    /// <summary>The cancellation window the client was told when booking, which the portal holds them to (beyond API.md; decision 270).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Booking.Appointments.Features.PortalAppointments.AppointmentCancellationTerms? CancellationPolicy { get; init; }

    /// <summary>Its booking request and who decided it, when; null when it was booked directly (decision 276).</summary>
    public Booking.Appointments.Features.Requests.RequestDecisionView? BookingRequest { get; init; }

    /// <summary>The client's cancellation request and who decided it, when; null when none stands (decision 276).</summary>
    public Booking.Appointments.Features.Requests.RequestDecisionView? CancellationRequest { get; init; }
    /// <summary>Its last move to another time (beyond API.md; decision 282); null when it was never moved.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AppointmentMoveView? Moved { get; init; }
}

/// <summary>
/// An appointment's last move: when, by whom (<c>client</c> or <c>staff</c>, and which staff member when kept), where it
/// was before (its start and diary), and how many times it has been moved.
/// </summary>
public sealed record AppointmentMoveView(DateTimeOffset At, string By, NamedRef? ByStaff, DateTimeOffset FromStart, Guid FromDiaryId, int Count);

public sealed record BusyBlockView(Guid Id, Guid DiaryId, DateTimeOffset Start, DateTimeOffset End, string? Note)
{
    /// <summary>A create's answer only (left out elsewhere): the diary's live appointments the block overlaps.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AppointmentClash>? Clashes { get; init; }
}

/// <summary>What the diary marks on a live appointment.</summary>
public static class DiaryClashes
{
    /// <summary>Not wholly inside the diary's hours of its date(s) (weekly roster after dated exceptions, online or not).</summary>
    public const string OutsideHours = "outside-hours";

    /// <summary>Overlaps one of the diary's busy blocks.</summary>
    public const string BusyTime = "busy-time";
}

public sealed record DiaryView(string TimeZone, IReadOnlyList<StaffAppointmentView> Appointments, IReadOnlyList<BusyBlockView> BusyBlocks);

public static class StaffViews
{
    public static StaffAppointmentView View(Names names, Appointment a, Schedule schedule) =>
        new(a.Id, a.DiaryId, schedule.Render(a.StartAt), schedule.Render(a.EndAt), a.Status, a.Source, names.Service(a.ServiceId),
            names.Client(a.ClientId), names.Pet(a.PetId), a.Note, a.AcceptedTermsVersion, a.CancelReason, a.Ended)
        {
            CancellationWithdrawnAt = a.CancellationWithdrawnAt is { } withdrawn && a.CancellationRequestedAt is null ? schedule.Render(withdrawn) : null,
            BookedAt = schedule.Render(a.CreatedAt),
            BookedByStaff = names.StaffMember(a.BookedByStaffId),
            CancelledAt = a.HoldsTime || a.CancelledAt is not { } cancelledAt ? null : schedule.Render(cancelledAt),
            CancelledBy = a.HoldsTime ? null : a.CancelledBy,
            CancelledByStaff = a.HoldsTime ? null : names.StaffMember(a.CancelledByStaffId),
            StaffNote = a.StaffNote,
            StaffNoteUpdatedAt = a.StaffNoteUpdatedAt is { } noted ? schedule.Render(noted) : null,
            StaffNoteUpdatedBy = names.StaffMember(a.StaffNoteUpdatedByStaffId),
            Price = Booking.Appointments.Features.PortalAppointments.AppointmentPrice.Of(a),
            CancellationPolicy = a.CancellationHours is { } hours && a.CancellationInsideWindow is { } inside
                ? new Booking.Appointments.Features.PortalAppointments.AppointmentCancellationTerms(hours, inside) : null,
            BookingRequest = Booking.Appointments.Features.Requests.RequestHistory.Booking(a, names, schedule),
            CancellationRequest = Booking.Appointments.Features.Requests.RequestHistory.Cancellation(a, names, schedule),
            Moved = a.MovedAt is { } movedAt && a.MovedFromStartAt is { } from
                ? new AppointmentMoveView(schedule.Render(movedAt), a.MovedBy ?? "staff", names.StaffMember(a.MovedByStaffId), schedule.Render(from),
                    a.MovedFromDiaryId ?? a.DiaryId, a.MoveCount)
                : null,
        };

    /// <summary>The staff members these appointments name (who booked, cancelled, noted), read in one query when there are any.</summary>
    public static Task LoadStaffAsync(Names names, IEnumerable<Appointment> appointments, CancellationToken ct) =>
        names.LoadStaffAsync(appointments.SelectMany(a => new[] { a.BookedByStaffId, a.CancelledByStaffId, a.StaffNoteUpdatedByStaffId, a.RequestDecidedByStaffId, a.CancellationDecidedByStaffId, a.MovedByStaffId }), ct);

    public static async Task<StaffAppointmentView> ViewAsync(Names names, Appointment a, Schedule schedule, CancellationToken ct)
    {
        await names.LoadAsync([a.DiaryId], [a.ClientId], ct, [a.PetId]);
        await LoadStaffAsync(names, [a], ct);
        return View(names, a, schedule);
    }

    public static BusyBlockView View(BusyBlock b, Schedule schedule) =>
        new(b.Id, b.DiaryId, schedule.Render(b.StartAt), schedule.Render(b.EndAt), b.Note);
}

public sealed record GetDiary(string? From, string? To, string? DiaryId) : IQuery<DiaryView>;

public sealed class GetDiaryValidator : AbstractValidator<GetDiary>
{
    public GetDiaryValidator()
    {
        // A diaryId that is not an id is answered as one of no diary (404), not as a bad value (API.md: alike).
        DateRange.Rules(this, x => x.From, x => x.To);
    }
}

/// <summary>
/// A day or week of the diary: every appointment (cancelled ones with their status) and busy block of the diaries
/// the reader may read (a practitioner: their own, <see cref="GetDiaryAccess"/>).
/// </summary>
public sealed class GetDiaryHandler(AppointmentsDbContext db, Schedule schedule, Names names, ISender sender) : IQueryHandler<GetDiary, DiaryView>
{
    public async ValueTask<DiaryView> Handle(GetDiary query, CancellationToken cancellationToken)
    {
        var from = DateRange.Parse(query.From);
        var to = DateRange.Parse(query.To);
        // The dates staff may book on (StaffWindow); far ones also overflow the span's instants.
        StaffWindow.RequireDates(schedule.Zone, schedule.Now, from, to);

        var (start, end) = schedule.Span(from, to);
        Guid? diaryId = string.IsNullOrEmpty(query.DiaryId) ? null
            : Guid.TryParse(query.DiaryId, out var d) ? d : throw ProblemException.NotFound("No such diary.");
        var access = await sender.Send(new GetDiaryAccess(), cancellationToken);
        // A diary of another business, none at all, or one the reader may not read is not found (not an empty diary),
        // all with the same answer; an inactive one is shown.
        if (diaryId is { } asked && (!access.Allows(asked) || (await sender.Send(new GetDiaries([asked]), cancellationToken)).Count == 0))
        {
            throw ProblemException.NotFound("No such diary.");
        }

        var only = access.Only?.ToArray();
        var appointments = await db.Appointments.AsNoTracking()
            .Where(a => a.StartAt < end && a.EndAt > start && (diaryId == null || a.DiaryId == diaryId) && (only == null || only.Contains(a.DiaryId)))
            .OrderBy(a => a.StartAt).ToListAsync(cancellationToken);
        var blocks = await db.BusyBlocks.AsNoTracking()
            .Where(b => b.StartAt < end && b.EndAt > start && (diaryId == null || b.DiaryId == diaryId) && (only == null || only.Contains(b.DiaryId)))
            .OrderBy(b => b.StartAt).ToListAsync(cancellationToken);
        await names.LoadAsync(appointments.Select(a => a.DiaryId).ToList(), appointments.Select(a => a.ClientId).ToList(), cancellationToken, appointments.Select(a => a.PetId));
        await StaffViews.LoadStaffAsync(names, appointments, cancellationToken);
        var clashes = await ClashesAsync(appointments, blocks, cancellationToken);
        return new DiaryView(schedule.Zone.Id,
            appointments.Select(a => StaffViews.View(names, a, schedule) with { Clashes = clashes.GetValueOrDefault(a.Id, []) }).ToList(),
            blocks.Select(b => StaffViews.View(b, schedule)).ToList());
    }

    /// <summary>
    /// Per live appointment, what it clashes with: the diaries' hours of the dates the appointments touch (one Roster
    /// query, from its cached roster) and the busy blocks already read. A busy block just outside the range asked for is
    /// not read, so it is not marked on an appointment that crosses the range's edge.
    /// </summary>
    private async Task<Dictionary<Guid, IReadOnlyList<string>>> ClashesAsync(List<Appointment> appointments, List<BusyBlock> blocks, CancellationToken ct)
    {
        var live = appointments.Where(a => ClashFinder.Live.Contains(a.Status)).ToList();
        if (live.Count == 0)
        {
            return [];
        }

        var zone = schedule.Zone;
        var first = live.Min(a => a.StartAt.InZone(zone).Date);
        var last = live.Max(a => a.EndAt.InZone(zone).Date);
        var diaries = live.Select(a => a.DiaryId).Distinct().ToList();
        var hours = await sender.Send(new GetWorkingHours(diaries, first.ToDateOnly(), last.ToDateOnly()), ct);
        var working = hours.GroupBy(h => h.DiaryId).ToDictionary(g => g.Key, g => WorkingTime.Of(zone,
            g.Select(h => (LocalDate.FromDateOnly(h.Date), h.Blocks.Select(b => (b.Start, b.End))))));
        var none = WorkingTime.Of(zone, []);
        return live.ToDictionary(a => a.Id, a =>
        {
            List<string> found = [];
            if (!working.GetValueOrDefault(a.DiaryId, none).Covers(a.StartAt, a.EndAt))
            {
                found.Add(DiaryClashes.OutsideHours);
            }

            if (blocks.Any(b => b.DiaryId == a.DiaryId && b.StartAt < a.EndAt && b.EndAt > a.StartAt))
            {
                found.Add(DiaryClashes.BusyTime);
            }

            return (IReadOnlyList<string>)found;
        });
    }
}

public static class GetDiaryEndpoint
{
    public static void MapGetDiary(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/admin/diary", async (string? from, string? to, string? diaryId, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetDiary(from, to, diaryId), ct)))
            .RequireStaff()
            .WithName("GetStaffDiary")
            .Answers(400, ProblemKinds.Validation).Answers(404, ProblemKinds.NotFound)
            .WithTags("Staff")
            .WithSummary("Appointments and busy blocks of dates from–to (inclusive, at most 31 days, within 10 years of today), optionally one diary; a practitioner reads only their assigned diaries (another is not found).")
            .Produces<DiaryView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem();
}
