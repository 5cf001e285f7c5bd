using System.Text.Json.Serialization;
using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Booking.Roster.Data;
using Booking.Roster.Contracts;
using Booking.Roster.Domain;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Booking.Roster.Features.WeeklyRoster;

/// <summary>Times as "HH:mm"; an end at midnight is "24:00".</summary>
public sealed record RosterBlockResponse(string Weekday, string Start, string End, bool BookableOnline);

public sealed record RosterResponse(Guid DiaryId, IReadOnlyList<RosterBlockResponse> Blocks)
{
    /// <summary>
    /// A replacement's answer only (left out of reads): the diary's live appointments from now on (up to
    /// <see cref="RosterClashes.DaysAhead"/> days, or the booking horizon if longer) that the new week's hours, after dated
    /// exceptions, leave out. The roster is saved all the same; staff rebook or cancel them by hand.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AppointmentClash>? Clashes { get; init; }
}

public sealed record RosterInput(IReadOnlyList<BlockInput?>? Blocks);

public sealed record GetWeeklyRoster(Guid DiaryId) : IQuery<RosterResponse>;

/// <summary>Replaces the diary's whole weekly roster.</summary>
public sealed record ReplaceWeeklyRoster(Guid DiaryId, IReadOnlyList<BlockInput?>? Blocks) : ICommand<RosterResponse>;

public sealed class ReplaceWeeklyRosterValidator : AbstractValidator<ReplaceWeeklyRoster>
{
    public ReplaceWeeklyRosterValidator() =>
        RuleFor(x => x).Custom((command, context) =>
        {
            foreach (var failure in BlockValidation.Check(command.Blocks, weekly: true))
            {
                context.AddFailure(failure);
            }
        });
}

internal static class RosterReads
{
    public static async Task<RosterResponse> LoadAsync(RosterDbContext db, Guid diaryId, CancellationToken cancellationToken)
    {
        var blocks = await db.Blocks.AsNoTracking().Where(b => b.DiaryId == diaryId).ToListAsync(cancellationToken);
        return new RosterResponse(diaryId, blocks
            .OrderBy(b => RosterFormats.WeekdayOrder(b.Weekday)).ThenBy(b => b.Start)
            .Select(b => new RosterBlockResponse(RosterFormats.WeekdayName(b.Weekday), RosterFormats.FormatTime(b.Start), RosterFormats.FormatTime(b.End), b.BookableOnline))
            .ToList());
    }

    public static async Task EnsureDiaryAsync(RosterDbContext db, Guid diaryId, CancellationToken cancellationToken)
    {
        if (!await db.Diaries.AnyAsync(d => d.Id == diaryId, cancellationToken))
        {
            throw ProblemException.NotFound("Diary not found.");
        }
    }
}

public sealed class GetWeeklyRosterHandler(RosterDbContext db) : IQueryHandler<GetWeeklyRoster, RosterResponse>
{
    public async ValueTask<RosterResponse> Handle(GetWeeklyRoster query, CancellationToken cancellationToken)
    {
        await RosterReads.EnsureDiaryAsync(db, query.DiaryId, cancellationToken);
        return await RosterReads.LoadAsync(db, query.DiaryId, cancellationToken);
    }
}

public sealed class ReplaceWeeklyRosterHandler(RosterDbContext db, ISender sender, TimeProvider clock) : ICommandHandler<ReplaceWeeklyRoster, RosterResponse>
{
    public async ValueTask<RosterResponse> Handle(ReplaceWeeklyRoster command, CancellationToken cancellationToken)
    {
        await RosterReads.EnsureDiaryAsync(db, command.DiaryId, cancellationToken);
        // Two replacements of one diary's roster at once take turns on the diary's row, and each reads the blocks the
        // other saved: the roster is one of the two, never both sets of hours.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM roster.diaries WHERE id = {command.DiaryId} FOR UPDATE", cancellationToken);
        // The business's hours lock, exclusive, before writing (decision 342): bookings under way commit first and are listed.
        await db.LockHoursAndRaiseVersionAsync(cancellationToken);
        var existing = await db.Blocks.Where(b => b.DiaryId == command.DiaryId).ToListAsync(cancellationToken);
        db.Blocks.RemoveRange(existing);
        foreach (var block in command.Blocks!)
        {
            db.Blocks.Add(new RosterBlock
            {
                Id = Guid.CreateVersion7(),
                DiaryId = command.DiaryId,
                Weekday = RosterFormats.ParseWeekday(block!.Weekday)!.Value,
                Start = RosterFormats.ParseTime(block.Start)!.Value,
                End = RosterFormats.ParseEnd(block.End)!.Value,
                BookableOnline = block.BookableOnline!.Value,
            });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            // The overlap constraint is deferred: it judges the week the save leaves at the commit, not row by row.
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception ex) when (RosterOverlap.IsRefusal(ex))
        {
            // The validator let no overlap through, so the database found a block written meanwhile by something that
            // did not take the diary's lock. Nothing of this replacement was saved.
            throw RosterOverlap.ChangedMeanwhile();
        }

        var saved = await RosterReads.LoadAsync(db, command.DiaryId, cancellationToken);
        return saved with { Clashes = await RosterClashes.FindAsync(sender, clock, command.DiaryId, cancellationToken) };
    }
}

/// <summary>
/// The live appointments a saved weekly roster leaves out (decision 164's warning, for the week): reported, never
/// cancelled, since staff may change the hours meaning to ring those clients.
/// </summary>
internal static class RosterClashes
{
    /// <summary>How far ahead a roster change is checked at least; further if the booking horizon is longer.</summary>
    public const int DaysAhead = 365;

    /// <summary>
    /// The diary's working hours (<see cref="GetWorkingHours"/>: every block, online or not, after dated exceptions; a
    /// diary left with no weekly roster works all day) from the day before today (UTC, so the business's today is in
    /// whatever its zone) on, given to Appointments' <see cref="FindUpcomingHoursClashes"/>, which keeps the
    /// appointments starting from now on that those hours don't hold.
    /// </summary>
    public static async Task<IReadOnlyList<AppointmentClash>> FindAsync(ISender sender, TimeProvider clock, Guid diaryId, CancellationToken cancellationToken)
    {
        var rules = await sender.Send(new GetBookingRules(), cancellationToken);
        var from = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-1);
        var to = from.AddDays(Math.Max(DaysAhead, rules.HorizonDays) + 2);
        var hours = await sender.Send(new GetWorkingHours([diaryId], from, to), cancellationToken);
        var days = hours.Where(h => h.DiaryId == diaryId)
            .Select(h => new DayHours(h.Date, h.Blocks.Select(b => new ClockSpan(b.Start, b.End)).ToList())).ToList();
        return await sender.Send(new FindUpcomingHoursClashes(diaryId, from, to, days), cancellationToken);
    }
}

/// <summary>The database's own refusal of overlapping blocks of one diary and weekday (its exclusion constraint).</summary>
internal static class RosterOverlap
{
    public static bool IsRefusal(Exception ex) =>
        ex.PostgresError() is { SqlState: PostgresErrorCodes.ExclusionViolation, ConstraintName: RosterDbContext.NoOverlapConstraint };

    public static ProblemException ChangedMeanwhile() => ProblemException.ChangedMeanwhile(
        "A block of this diary was saved at the same moment and overlaps these hours; nothing was saved. Look at the roster again and retry.");
}

public static class WeeklyRosterEndpoints
{
    public static void MapWeeklyRoster(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/admin/diaries/{id}/roster", async (string id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetWeeklyRoster(RouteIds.Parse(id, "Diary")), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("GetWeeklyRoster")
            .WithTags("Setup")
            .Produces<RosterResponse>();

        app.MapPut("/api/v1/admin/diaries/{id}/roster", async (string id, RosterInput body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ReplaceWeeklyRoster(RouteIds.Parse(id, "Diary"), body.Blocks), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("ReplaceWeeklyRoster")
            .WithTags("Setup")
            .Accepts<RosterInput>("application/json")
            .Produces<RosterResponse>()
            .ProducesValidationProblem()
            .Answers(409, ProblemKinds.ChangedMeanwhile);
    }
}
