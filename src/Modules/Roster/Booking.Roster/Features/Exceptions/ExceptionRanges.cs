using System.Globalization;
using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.Roster.Data;
using Booking.Roster.Domain;
using Booking.Roster.Features.WeeklyRoster;
using FluentValidation;
using Mediator;
using NodaTime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Booking.Roster.Features.Exceptions;

/// <summary>The body of <c>POST /api/v1/admin/diaries/{id}/exceptions/range</c>: dates inclusive, "YYYY-MM-DD".</summary>
public sealed record ExceptionRangeInput(string? From, string? To, bool? Closed, IReadOnlyList<BlockInput?>? Blocks);

/// <summary>
/// The exceptions a range saved, one per date by date, and the diary's live appointments their hours leave out over the
/// whole range (each once, by start; all of them on closed days).
/// </summary>
public sealed record RosterExceptionRangeResponse(IReadOnlyList<RosterExceptionResponse> Items, IReadOnlyList<AppointmentClash> Clashes);

/// <summary>
/// The same exception (closed, or the same other hours) on every local date from <see cref="From"/> to <see cref="To"/>:
/// holidays and leave in one save. All or nothing: a date of the range that already has an exception refuses the whole
/// range, naming the dates (decision 242).
/// </summary>
public sealed record CreateRosterExceptionRange(Guid DiaryId, string? From, string? To, bool? Closed, IReadOnlyList<BlockInput?>? Blocks)
    : ICommand<RosterExceptionRangeResponse>, IRosterExceptionHours, IRosterDateRange;

/// <summary>
/// What a removal over a range did: how many exceptions it removed and their dates, by date. None is an answer too
/// (<c>removed</c> 0): removing what is not there changes nothing, so it is no error.
/// </summary>
public sealed record RosterExceptionsRemoved(int Removed, IReadOnlyList<string> Dates);

/// <summary>
/// Removes every exception of the diary from <see cref="From"/> to <see cref="To"/> (inclusive): the inverse of
/// <see cref="CreateRosterExceptionRange"/>, for holidays and leave called off or entered wrong. Whatever each date's
/// exception says (closed or other hours): the range is what staff chose.
/// </summary>
public sealed record DeleteRosterExceptionRange(Guid DiaryId, string? From, string? To) : ICommand<RosterExceptionsRemoved>, IRosterDateRange;

public sealed class DeleteRosterExceptionRangeValidator : AbstractValidator<DeleteRosterExceptionRange>
{
    public DeleteRosterExceptionRangeValidator(TimeProvider clock, ITenantContext tenant) => RosterDateRules.AddRange(this, clock, tenant);
}

public sealed class CreateRosterExceptionRangeValidator : AbstractValidator<CreateRosterExceptionRange>
{
    /// <summary>The most dates one range covers: a year, a leap year's too.</summary>
    public const int MaxDays = 366;

    public CreateRosterExceptionRangeValidator(TimeProvider clock, ITenantContext tenant)
    {
        RosterDateRules.AddRange(this, clock, tenant);
        RosterExceptionHoursRules.Add(this);
        RuleFor(x => x).Custom((command, context) =>
        {
            if (RosterFormats.ParseDate(command.From) is { } from && RosterFormats.ParseDate(command.To) is { } to
                && to >= from && to.DayNumber - from.DayNumber < MaxDays)
            {
                var first = LocalDate.FromDateOnly(from);
                RosterClockChangeRules.Check(tenant, Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(first.PlusDays), command, context);
            }
        });
    }
}

public sealed class CreateRosterExceptionRangeHandler(RosterDbContext db, TimeProvider clock, ISender sender)
    : ICommandHandler<CreateRosterExceptionRange, RosterExceptionRangeResponse>
{
    public async ValueTask<RosterExceptionRangeResponse> Handle(CreateRosterExceptionRange command, CancellationToken cancellationToken)
    {
        await RosterReads.EnsureDiaryAsync(db, command.DiaryId, cancellationToken);
        var from = RosterFormats.ParseDate(command.From)!.Value;
        var to = RosterFormats.ParseDate(command.To)!.Value;
        var taken = await db.Exceptions.AsNoTracking()
            .Where(e => e.DiaryId == command.DiaryId && e.Date >= from && e.Date <= to)
            .OrderBy(e => e.Date).Select(e => e.Date).ToListAsync(cancellationToken);
        if (taken.Count > 0)
        {
            throw DatesTaken(taken);
        }

        var now = clock.GetUtcNow();
        var exceptions = Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(i => new RosterException
        {
            Id = Guid.CreateVersion7(),
            DiaryId = command.DiaryId,
            Date = from.AddDays(i),
            Closed = command.Closed!.Value,
            Blocks = RosterExceptionWrites.BlocksOf(command),
            CreatedAt = now,
        }).ToList();
        db.Exceptions.AddRange(exceptions);
        // One transaction, one save: every date or none. A date another request took meanwhile (the unique index)
        // refuses the lot, and a clash read that fails leaves nothing behind.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw ProblemException.Invalid("from",
                "Another exception was saved on one of these dates meanwhile, so nothing was saved. Look at the diary's exceptions and try again.");
        }

        var hours = exceptions[0].Blocks.Select(b => new ClockSpan(b.Start, b.End)).ToList();
        var clashes = await sender.Send(new FindHoursClashes(command.DiaryId, from, hours, to), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RosterExceptionRangeResponse(exceptions.Select(RosterExceptionResponse.From).ToList(), clashes);
    }

    /// <summary>"… on 2026-12-24, 2026-12-25 …": at most ten dates named, then how many more.</summary>
    public static FluentValidation.ValidationException DatesTaken(IReadOnlyList<DateOnly> taken)
    {
        var named = string.Join(", ", taken.Take(10).Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        var more = taken.Count > 10 ? $" and {taken.Count - 10} more" : "";
        return ProblemException.Invalid("from",
            $"This diary already has an exception on {named}{more}; nothing was saved. Change or remove {(taken.Count == 1 ? "it" : "those")} first, or choose dates around {(taken.Count == 1 ? "it" : "them")}.");
    }
}

public sealed class DeleteRosterExceptionRangeHandler(RosterDbContext db) : ICommandHandler<DeleteRosterExceptionRange, RosterExceptionsRemoved>
{
    /// <summary>
    /// One save: the range's exceptions all go or none do. A row removed by someone else meanwhile makes the save find
    /// nothing to delete there; it reads the range again and removes what is left (what was there is gone either way).
    /// </summary>
    public async ValueTask<RosterExceptionsRemoved> Handle(DeleteRosterExceptionRange command, CancellationToken cancellationToken)
    {
        await RosterReads.EnsureDiaryAsync(db, command.DiaryId, cancellationToken);
        var from = RosterFormats.ParseDate(command.From)!.Value;
        var to = RosterFormats.ParseDate(command.To)!.Value;
        return await db.RetryOnConcurrentChangeAsync(async () =>
        {
            var exceptions = await db.Exceptions
                .Where(e => e.DiaryId == command.DiaryId && e.Date >= from && e.Date <= to)
                .OrderBy(e => e.Date).ToListAsync(cancellationToken);
            db.Exceptions.RemoveRange(exceptions);
            await db.SaveChangesAsync(cancellationToken);
            return new RosterExceptionsRemoved(exceptions.Count, exceptions.Select(e => RosterFormats.FormatDate(e.Date)).ToList());
        });
    }
}

public static class RosterExceptionRangeEndpoints
{
    public static void MapRosterExceptionRanges(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/admin/diaries/{id}/exceptions/range", async (string id, ExceptionRangeInput body, ISender sender, CancellationToken ct) =>
            {
                var diaryId = RouteIds.Parse(id, "Diary");
                var created = await sender.Send(new CreateRosterExceptionRange(diaryId, body.From, body.To, body.Closed, body.Blocks), ct);
                return Results.Created($"/api/v1/admin/diaries/{diaryId}/exceptions", created);
            })
            .RequireStaff(StaffRoles.Setup)
            .WithName("CreateRosterExceptionRange")
            .WithTags("Setup")
            .Accepts<ExceptionRangeInput>("application/json")
            .Produces<RosterExceptionRangeResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        // The range in the query, as a DELETE has no body to rely on (proxies and clients may drop one).
        app.MapDelete("/api/v1/admin/diaries/{id}/exceptions/range", async (string id, string? from, string? to, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new DeleteRosterExceptionRange(RouteIds.Parse(id, "Diary"), from, to), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("DeleteRosterExceptionRange")
            .Answers(409, ProblemKinds.ChangedMeanwhile)
            .WithTags("Setup")
            .Produces<RosterExceptionsRemoved>()
            .ProducesValidationProblem();
    }
}
