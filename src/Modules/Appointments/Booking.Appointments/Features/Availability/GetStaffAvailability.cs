using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.Appointments.Features.Scheduling;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Booking.Tenancy.Contracts;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodaTime;

namespace Booking.Appointments.Features.Availability;

/// <summary>
/// Staff's free times (Staff → New appointment, <c>GET /api/v1/admin/availability</c>): the portal's slot maths in staff
/// mode (decision 278). Query strings as given; <c>diary</c> an id or <c>any</c> (the default).
/// </summary>
public sealed record GetStaffAvailability(string? Service, string? Diary, string? From, string? To) : IQuery<StaffAvailabilityView>
{
    /// <summary>
    /// In-process only (the API never sets it): the appointment staff are moving (the staff Move page, decision 294). Its
    /// own length and buffer, as booked, are used rather than the service's current ones, as the move and its check judge
    /// them (<c>BookingDesk.MoveAsync</c>, <c>CheckStaffBooking.Moving</c>). Its own busy time is left out (it may overlap
    /// where it is now), and a retired service still has free times for it (decision 308): staff may move its appointments,
    /// as the move and its check accept; none of them is offered online.
    /// </summary>
    public Guid? Moving { get; init; }
}

public sealed record StaffAvailabilityView(string TimeZone, IReadOnlyList<StaffSlotView> Slots);

/// <summary>
/// A start staff may book: inside the working hours of each of <paramref name="DiaryIds"/>, clear of their appointments
/// (requests too) with both buffers, and of their busy blocks where the appointment itself is (its buffer may run into
/// one: decision 347, as the check's <c>busy-time</c> and "any" judge it). <paramref name="OfferedOnline"/>: a client could book it in the portal with
/// one of them (<paramref name="OnlineDiaryIds"/>): within online hours, minimum notice and horizon, a service bookable
/// online that those diaries provide.
/// </summary>
public sealed record StaffSlotView(DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<Guid> DiaryIds, bool OfferedOnline, IReadOnlyList<Guid> OnlineDiaryIds);

public sealed class GetStaffAvailabilityValidator : AbstractValidator<GetStaffAvailability>
{
    public GetStaffAvailabilityValidator()
    {
        // As the portal's: a service or diary that is not an id is one that does not exist (404, in the handler).
        RuleFor(x => x.Service).NotEmpty().WithMessage("Choose a service.");
        DateRange.Rules(this, x => x.From, x => x.To);
    }
}

/// <summary>
/// One engine with the portal's (<see cref="SlotMaths"/>): the diaries' working hours (Roster's <c>GetWorkingHours</c>,
/// after dated exceptions, online or not) on the business's slot grid, minus appointments with the service's buffer and
/// busy blocks without it (<see cref="SlotRules.ForStaff"/>, decision 347), in staff mode (no notice, no horizon, nothing that has passed). Then the portal's own candidates (online hours, notice,
/// horizon) mark which of those a client could book. A practitioner reads only their own diaries (as the diary): another
/// diary is not found, and <c>any</c> means any of theirs.
/// </summary>
public sealed class GetStaffAvailabilityHandler(ISender sender, Schedule schedule, AppointmentsDbContext db) : IQueryHandler<GetStaffAvailability, StaffAvailabilityView>
{
    public async ValueTask<StaffAvailabilityView> Handle(GetStaffAvailability query, CancellationToken cancellationToken)
    {
        var from = DateRange.Parse(query.From);
        var to = DateRange.Parse(query.To);
        // The dates staff may book on (StaffWindow); far ones also overflow the span's instants.
        StaffWindow.RequireDates(schedule.Zone, schedule.Now, from, to);

        var service = (Guid.TryParse(query.Service, out var serviceId) ? await sender.Send(new GetService(serviceId), cancellationToken) : null)
            ?? throw ProblemException.NotFound("No such service.");
        if (!DateRange.IsDiary(query.Diary))
        {
            throw ProblemException.NotFound("No such diary.");
        }

        var access = await sender.Send(new GetDiaryAccess(), cancellationToken);
        IReadOnlyList<DiaryView> diaries;
        if (Guid.TryParse(query.Diary, out var diaryId))
        {
            // One diary: any of the business's (staff may book a diary the service is not ticked for; the booking asks).
            diaries = access.Allows(diaryId) ? await sender.Send(new GetDiaries([diaryId]), cancellationToken) : [];
            if (diaries.Count == 0)
            {
                throw ProblemException.NotFound("No such diary.");
            }
        }
        else
        {
            diaries = service.DiaryIds.Count == 0 ? [] : await sender.Send(new GetDiaries(service.DiaryIds.ToList()), cancellationToken);
        }

        var none = new StaffAvailabilityView(schedule.Zone.Id, []);
        // Staff cannot book a retired service or an inactive diary (the booking refuses both); a retired service's booked
        // appointment may still be moved (CheckStaffBooking with Moving, BookingDesk.MoveAsync), to an active diary only.
        var diaryIds = diaries.Where(d => d.Active && access.Allows(d.Id)).Select(d => d.Id).ToList();
        if ((service.Retired && query.Moving is null) || diaryIds.Count == 0)
        {
            return none;
        }

        var rules = await MovingLength.ApplyAsync(db, await schedule.RulesAsync(service, cancellationToken), query.Moving, cancellationToken);
        var staff = rules with { ForStaff = true };
        if (from < staff.Today)
        {
            from = staff.Today; // past dates have no free times
        }

        if (to < from)
        {
            return none;
        }

        var hours = await sender.Send(new GetWorkingHours(diaryIds, from.ToDateOnly(), to.ToDateOnly()), cancellationToken);
        var days = hours.Select(h => new DiaryDay(h.DiaryId, LocalDate.FromDateOnly(h.Date),
            h.Blocks.Select(b => OnlineBlock.FromClock(b.Start, b.End)).ToList())).ToList();
        if (days.Count == 0)
        {
            return none;
        }

        var (start, end) = schedule.Span(from, to);
        var busy = await schedule.BusyAsync(diaryIds, start, end + rules.Occupies, cancellationToken, query.Moving);
        var slots = SlotMaths.Free(staff, days, busy);
        var online = await OnlineStartsAsync(service, diaryIds, rules, from, to, cancellationToken);
        return new StaffAvailabilityView(schedule.Zone.Id, slots.Select(s =>
        {
            var onlineIds = s.DiaryIds.Where(d => online.Contains((d, s.Start))).ToList();
            return new StaffSlotView(schedule.Render(s.Start), schedule.Render(s.End), s.DiaryIds, onlineIds.Count > 0, onlineIds);
        }).ToList());
    }

    /// <summary>The starts the portal would offer each diary, busy time aside (the free ones are free already).</summary>
    private async Task<HashSet<(Guid DiaryId, Instant Start)>> OnlineStartsAsync(
        ServiceView service, List<Guid> diaryIds, SlotRules rules, LocalDate from, LocalDate to, CancellationToken ct)
    {
        var offering = diaryIds.Where(service.DiaryIds.Contains).ToList();
        if (service.Retired || !service.BookableOnline || offering.Count == 0)
        {
            return [];
        }

        if (to > rules.LastBookableDate)
        {
            to = rules.LastBookableDate;
        }

        var days = await schedule.OnlineDaysAsync(offering, from, to, ct);
        return days.SelectMany(day => SlotMaths.Candidates(rules, day.Date, day.Blocks).Select(s => (day.DiaryId, s))).ToHashSet();
    }
}

public static class GetStaffAvailabilityEndpoint
{
    public static void MapGetStaffAvailability(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/admin/availability", async (string? service, string? diary, string? from, string? to, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetStaffAvailability(service, diary, from, to), ct)))
            .RequireStaff()
            .WithName("GetStaffAvailability")
            .Answers(400, ProblemKinds.Validation).Answers(404, ProblemKinds.NotFound)
            .WithTags("Staff")
            .WithSummary("Free start times staff may book for a service (one diary or any), dates from–to inclusive (at most 31 days, within 10 years of today): working hours minus appointments, requests, busy time and buffers, on the slot grid; no minimum notice or horizon; each with offeredOnline. A practitioner reads only their own diaries (another is not found).")
            .Produces<StaffAvailabilityView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem();
}
