using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.Appointments.Features.Availability;
using Booking.Appointments.Features.Scheduling;
using Booking.BuildingBlocks.Problems;
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

namespace Booking.Appointments.Features.StaffDiary;

public sealed record StaffAppointmentView(
    Guid Id, Guid DiaryId, DateTimeOffset Start, DateTimeOffset End, string Status, string Source, NamedRef Service, NamedRef Client,
    NamedRef? Pet, string? Note, int? AcceptedTermsVersion, string? CancelReason);

public sealed record BusyBlockView(Guid Id, Guid DiaryId, DateTimeOffset Start, DateTimeOffset End, string? Note);

public sealed record DiaryView(string TimeZone, IReadOnlyList<StaffAppointmentView> Appointments, IReadOnlyList<BusyBlockView> BusyBlocks);

public static class StaffViews
{
    public static StaffAppointmentView View(Names names, Appointment a, Schedule schedule) =>
        new(a.Id, a.DiaryId, schedule.Render(a.StartAt), schedule.Render(a.EndAt), a.Status, a.Source, names.Service(a.ServiceId),
            names.Client(a.ClientId), names.Pet(a.PetId), a.Note, a.AcceptedTermsVersion, a.CancelReason);

    public static async Task<StaffAppointmentView> ViewAsync(Names names, Appointment a, Schedule schedule, CancellationToken ct)
    {
        await names.LoadAsync([a.DiaryId], [a.ClientId], ct, [a.PetId]);
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
        var (first, last) = StaffWindow.Dates(schedule.Zone, schedule.Now);
        var outside = new[] { ("from", from), ("to", to) }.Where(d => d.Item2 < first || d.Item2 > last)
            .Select(d => new ValidationFailure(d.Item1, StaffWindow.DatesMessage(first, last))).ToList();
        if (outside.Count > 0)
        {
            throw new ValidationException(outside);
        }

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
        return new DiaryView(schedule.Zone.Id,
            appointments.Select(a => StaffViews.View(names, a, schedule)).ToList(),
            blocks.Select(b => StaffViews.View(b, schedule)).ToList());
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
