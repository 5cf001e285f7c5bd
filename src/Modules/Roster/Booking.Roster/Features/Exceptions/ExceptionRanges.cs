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
/// What a removal did: how many exceptions it removed and their dates, by date. None is an answer too
/// (<c>removed</c> 0): removing what is not there changes nothing, so it is no error. <see cref="Clashes"/>: the
/// diary's live appointments that those dates' hours without the exceptions (the weekly roster's) leave out, as adding
/// one answers them: the removal is done all the same, nothing is cancelled (decision 258).
/// </summary>
public sealed record RosterExceptionsRemoved(int Removed, IReadOnlyList<string> Dates, IReadOnlyList<AppointmentClash> Clashes);

/// <summary>
/// Removes every exception of the diary from <see cref="From"/> to <see cref="To"/> (inclusive): the inverse of
/// <see cref="CreateRosterExceptionRange"/>, for holidays and leave called off or entered wrong. Whatever each date's
/// exception says (closed or other hours): the range is what staff chose. With <see cref="Expect"/> (the range's
/// fingerprint, <see cref="RosterExceptionFingerprint"/>, as the list or the page showed it) only if the range still
/// holds exactly that: else nothing is removed, 409 <c>changed-meanwhile</c> (decision 258).
/// </summary>
public sealed record DeleteRosterExceptionRange(Guid DiaryId, string? From, string? To, string? Expect = null) : ICommand<RosterExceptionsRemoved>, IRosterDateRange;

public sealed class DeleteRosterExceptionRangeValidator : AbstractValidator<DeleteRosterExceptionRange>
{
    public DeleteRosterExceptionRangeValidator(TimeProvider clock, ITenantContext tenant)
    {
        RosterDateRules.AddRange(this, clock, tenant);
        RuleFor(x => x.Expect).Must(e => RosterExceptionFingerprint.IsWellFormed(e!)).When(x => x.Expect is not null)
            .WithMessage(RosterExceptionFingerprint.BadExpect);
    }
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
                && to >= from && to.DayNumber - from.DayNumber < MaxDays
                && StaffWindow.AllowsDate(clock, tenant.Current?.TimeZone, LocalDate.FromDateOnly(from))
                && StaffWindow.AllowsDate(clock, tenant.Current?.TimeZone, LocalDate.FromDateOnly(to)))
            {
                var first = LocalDate.FromDateOnly(from);
                RosterClockChangeRules.Check(tenant, Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(first.PlusDays), command, context);
            }
        });
    }
}

public sealed class CreateRosterExceptionRangeHandler(RosterDbContext db, TimeProvider clock, ISender sender, ITenantContext tenant)
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
            throw DatesTaken(taken, DateStyle.ForCountry(tenant.Current?.CountryCode));
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
        // The business's hours lock, exclusive, before writing (decision 342): bookings under way commit first and are listed.
        await db.LockHoursAndRaiseVersionAsync(cancellationToken);
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

    /// <summary>"… on Thursday 24 December 2026, Friday 25 December 2026 …" (the business's <see cref="DateStyle"/>): at most ten dates named, then how many more.</summary>
    public static FluentValidation.ValidationException DatesTaken(IReadOnlyList<DateOnly> taken, DateStyle dates)
    {
        var named = string.Join(", ", taken.Take(10).Select(d => dates.Long(LocalDate.FromDateOnly(d))));
        var more = taken.Count > 10 ? $" and {taken.Count - 10} more" : "";
        return ProblemException.Invalid("from",
            $"This diary already has an exception on {named}{more}; nothing was saved. Change or remove {(taken.Count == 1 ? "it" : "those")} first, or choose dates around {(taken.Count == 1 ? "it" : "them")}.");
    }
}

public sealed class DeleteRosterExceptionRangeHandler(RosterDbContext db, ISender sender) : ICommandHandler<DeleteRosterExceptionRange, RosterExceptionsRemoved>
{
    /// <summary>
    /// One save: the range's exceptions all go or none do. Their rows are locked first, so what is compared with
    /// <see cref="DeleteRosterExceptionRange.Expect"/> is what goes: a change or removal by someone else waits for this
    /// one, and this one for theirs (then reads what they left). The clashes are read before the commit, as a save's
    /// are: a read that fails leaves the exceptions where they were.
    /// </summary>
    public async ValueTask<RosterExceptionsRemoved> Handle(DeleteRosterExceptionRange command, CancellationToken cancellationToken)
    {
        await RosterReads.EnsureDiaryAsync(db, command.DiaryId, cancellationToken);
        var from = RosterFormats.ParseDate(command.From)!.Value;
        var to = RosterFormats.ParseDate(command.To)!.Value;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The business's hours lock, exclusive, before writing (decision 342): bookings under way commit first and are listed.
        await db.LockHoursAndRaiseVersionAsync(cancellationToken);
        var exceptions = await db.RetryOnConcurrentChangeAsync(async () =>
        {
            await db.Database.ExecuteSqlAsync(
                $"SELECT 1 FROM roster.roster_exceptions WHERE diary_id = {command.DiaryId} AND date >= {from} AND date <= {to} FOR UPDATE", cancellationToken);
            var found = await db.Exceptions
                .Where(e => e.DiaryId == command.DiaryId && e.Date >= from && e.Date <= to)
                .OrderBy(e => e.Date).ToListAsync(cancellationToken);
            if (command.Expect is { } expected
                && !RosterExceptionFingerprint.Matches(expected, RosterExceptionFingerprint.Of(RosterFormats.FormatDate(from), RosterFormats.FormatDate(to), found.Select(RosterExceptionResponse.From))))
            {
                throw RosterExceptionFingerprint.Changed();
            }

            db.Exceptions.RemoveRange(found);
            await db.SaveChangesAsync(cancellationToken);
            return found;
        });
        var clashes = await RemovalClashes.FindAsync(db, sender, command.DiaryId, exceptions.Select(e => e.Date).ToList(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RosterExceptionsRemoved(exceptions.Count, exceptions.Select(e => RosterFormats.FormatDate(e.Date)).ToList(), clashes);
    }
}

/// <summary>
/// The hours dates have once their exceptions are gone: the weekly roster's for their weekday, every block, online or
/// not (<c>GetWorkingHours</c>' rule; a diary with no weekly roster works all day, so nothing is outside it),
/// given to Appointments' <see cref="FindHoursClashesOnDates"/> for the live appointments on those dates they leave out.
/// </summary>
internal static class RemovalClashes
{
    public static async Task<IReadOnlyList<AppointmentClash>> FindAsync(RosterDbContext db, ISender sender, Guid diaryId, IReadOnlyList<DateOnly> dates, CancellationToken cancellationToken)
    {
        if (dates.Count == 0)
        {
            return [];
        }

        var weekly = await db.Blocks.AsNoTracking().Where(b => b.DiaryId == diaryId).ToListAsync(cancellationToken);
        if (weekly.Count == 0)
        {
            return [];
        }

        var byWeekday = weekly.ToLookup(b => b.Weekday, b => new ClockSpan(b.Start, b.End));
        var days = dates.Select(d => new DayHours(d, byWeekday[d.DayOfWeek].ToList())).ToList();
        return await sender.Send(new FindHoursClashesOnDates(diaryId, days), cancellationToken);
    }
}

/// <summary>
/// What a range of a diary's exceptions holds, as one short text: every exception's date, closed flag and blocks (times
/// and online), with the range's own dates. Two reads give the same fingerprint exactly when the range holds the same
/// exceptions; an exception removed and added again just as it was counts as the same, since what staff saw is the
/// same. The page sends the one of each run it lists with the run's Remove; <c>GET …/exceptions?from=&amp;to=</c>
/// answers it for API users (decision 258).
/// </summary>
public static class RosterExceptionFingerprint
{
    public const int Length = 32;

    public const string BadExpect = "Give the fingerprint GET …/exceptions?from=&to= answered for these dates (32 letters and digits), or leave expect out.";

    public static string Of(string from, string to, IEnumerable<RosterExceptionResponse> exceptions)
    {
        var text = new System.Text.StringBuilder().Append(from).Append('/').Append(to);
        foreach (var e in exceptions.OrderBy(e => e.Date, StringComparer.Ordinal))
        {
            text.Append('\n').Append(e.Date).Append(e.Closed ? " closed" : " open");
            foreach (var b in e.Blocks.OrderBy(b => b.Start, StringComparer.Ordinal))
            {
                text.Append(' ').Append(b.Start).Append('-').Append(b.End).Append(b.BookableOnline ? " online" : " offline");
            }
        }

        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToHexStringLower(hash)[..Length];
    }

    /// <summary>"Give the fingerprint …" for one exception's removal: its date's, as the list of that date alone answers it.</summary>
    public const string BadExpectOne = "Give the fingerprint GET …/exceptions?from=&to= answered for this exception's date (32 letters and digits), or leave expect out.";

    /// <summary>
    /// One exception's fingerprint: its date's as a range of that one date (an exception is the only one on its date), so
    /// <c>GET …/exceptions?from=D&amp;to=D</c> answers it and the page sends it with a date's own Remove (decision 267).
    /// </summary>
    public static string OfOne(RosterExceptionResponse exception) => Of(exception.Date, exception.Date, [exception]);

    public static bool IsWellFormed(string expect) => expect.Length == Length && expect.All(char.IsAsciiHexDigit);

    public static bool Matches(string expect, string fingerprint) => string.Equals(expect, fingerprint, StringComparison.OrdinalIgnoreCase);

    public static ProblemException ChangedOne() => ProblemException.ChangedMeanwhile(
        "The exception changed since it was read (its date or hours); nothing was removed. Read it again and remove it if you still mean to.");

    public static ProblemException Changed() => ProblemException.ChangedMeanwhile(
        "The exceptions on these dates changed since they were read (one was added, changed or removed); nothing was removed. Read them again and remove what you mean to.");
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
        // expect (optional): the range's fingerprint as read; removes nothing (409) when the range holds anything else now.
        app.MapDelete("/api/v1/admin/diaries/{id}/exceptions/range", async (string id, string? from, string? to, string? expect, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new DeleteRosterExceptionRange(RouteIds.Parse(id, "Diary"), from, to, expect), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("DeleteRosterExceptionRange")
            .Answers(409, ProblemKinds.ChangedMeanwhile)
            .WithTags("Setup")
            .Produces<RosterExceptionsRemoved>()
            .ProducesValidationProblem();
    }
}
