using System.Text.Json.Serialization;
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
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Booking.Roster.Features.Exceptions;

/// <summary>Times as "HH:mm"; an end at midnight is "24:00".</summary>
public sealed record ExceptionBlockResponse(string Start, string End, bool BookableOnline);

public sealed record RosterExceptionResponse(Guid Id, Guid DiaryId, string Date, bool Closed, IReadOnlyList<ExceptionBlockResponse> Blocks)
{
    /// <summary>
    /// A create's or change's answer only (left out of reads): the diary's live appointments on the date that the new
    /// hours leave out (all of a closed day's). The exception is saved all the same; staff rebook or cancel them by hand.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AppointmentClash>? Clashes { get; init; }

    public static RosterExceptionResponse From(RosterException e) => new(
        e.Id, e.DiaryId, RosterFormats.FormatDate(e.Date), e.Closed,
        e.Blocks.OrderBy(b => b.Start).Select(b => new ExceptionBlockResponse(RosterFormats.FormatTime(b.Start), RosterFormats.FormatTime(b.End), b.BookableOnline)).ToList());
}

public sealed record RosterExceptionList(IReadOnlyList<RosterExceptionResponse> Items)
{
    /// <summary>
    /// Asked with <c>from</c> and <c>to</c> only: what the range holds (<see cref="RosterExceptionFingerprint"/>), for
    /// <c>DELETE …/exceptions/range?…&amp;expect=</c> to remove only that.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Fingerprint { get; init; }
}

public sealed record ExceptionInput(string? Date, bool? Closed, IReadOnlyList<BlockInput?>? Blocks);

/// <summary>An exception's hours: closed, or other blocks (one date's, or each date's of a range).</summary>
public interface IRosterExceptionHours
{
    bool? Closed { get; }

    IReadOnlyList<BlockInput?>? Blocks { get; }
}

/// <summary>What an exception says, as a create or a change gives it.</summary>
public interface IRosterExceptionFields : IRosterExceptionHours
{
    string? Date { get; }
}

/// <summary>Closed, or other hours (blocks) on one local date; one exception per diary and date.</summary>
public sealed record CreateRosterException(Guid DiaryId, string? Date, bool? Closed, IReadOnlyList<BlockInput?>? Blocks) : ICommand<RosterExceptionResponse>, IRosterExceptionFields;

/// <summary>Replaces an exception's date, closed flag and blocks (its id stays; the date may move to a free one).</summary>
public sealed record ChangeRosterException(Guid DiaryId, Guid ExceptionId, string? Date, bool? Closed, IReadOnlyList<BlockInput?>? Blocks)
    : ICommand<RosterExceptionResponse>, IRosterExceptionFields;

/// <summary>The diary's exceptions by date; with <see cref="From"/> and <see cref="To"/> those dates' only, and their fingerprint.</summary>
public sealed record ListRosterExceptions(Guid DiaryId, string? From = null, string? To = null) : IQuery<RosterExceptionList>, IRosterDateRange;

public sealed class ListRosterExceptionsValidator : AbstractValidator<ListRosterExceptions>
{
    /// <summary>No dates: the whole list. Either date: both, by the range's rules.</summary>
    public ListRosterExceptionsValidator(TimeProvider clock, ITenantContext tenant) =>
        When(x => x.From is not null || x.To is not null, () => RosterDateRules.AddRange(this, clock, tenant));
}

/// <summary>
/// Removes one exception; answers what the date's hours without it (the weekly roster's) leave out, as adding does. With
/// <see cref="Expect"/> (its date's fingerprint as read, <see cref="RosterExceptionFingerprint.OfOne"/>: what
/// <c>GET …/exceptions?from=D&amp;to=D</c> answers) only if it still says that: else nothing is removed, 409
/// <c>changed-meanwhile</c>, as a range's removal (decision 267).
/// </summary>
public sealed record DeleteRosterException(Guid DiaryId, Guid ExceptionId, string? Expect = null) : ICommand<RosterExceptionsRemoved>;

public sealed class DeleteRosterExceptionValidator : AbstractValidator<DeleteRosterException>
{
    public DeleteRosterExceptionValidator() =>
        RuleFor(x => x.Expect).Must(e => RosterExceptionFingerprint.IsWellFormed(e!)).When(x => x.Expect is not null)
            .WithMessage(RosterExceptionFingerprint.BadExpectOne);
}

public sealed class CreateRosterExceptionValidator(TimeProvider clock, ITenantContext tenant) : RosterExceptionRules<CreateRosterException>(clock, tenant);

public sealed class ChangeRosterExceptionValidator(TimeProvider clock, ITenantContext tenant) : RosterExceptionRules<ChangeRosterException>(clock, tenant);

public abstract class RosterExceptionRules<T> : AbstractValidator<T>
    where T : IRosterExceptionFields
{
    protected RosterExceptionRules(TimeProvider clock, ITenantContext tenant)
    {
        RuleFor(x => x.Date).StaffDate(RosterProblemWords.BadDate, clock, tenant);
        RosterExceptionHoursRules.Add(this);
        RuleFor(x => x).Custom((command, context) =>
        {
            // Only a date the date rule let through: one outside the staff window (9999-12-31) is refused there.
            if (RosterFormats.ParseDate(command.Date) is { } date && StaffWindow.AllowsDate(clock, tenant.Current?.TimeZone, LocalDate.FromDateOnly(date)))
            {
                RosterClockChangeRules.Check(tenant, [LocalDate.FromDateOnly(date)], command, context);
            }
        });
    }
}

/// <summary>
/// A dated exception's hours are wall-clock times on its dates: one the clocks skip that day (01:15 on a spring-forward
/// night in London) names no moment, and the day's slots there silently vanished (review s31 #4). Refused per block and
/// time, as the staff diary's book and busy forms refuse such a time. A repeated time (fall back) is a real moment: kept.
/// </summary>
public static class RosterClockChangeRules
{
    public static void Check<T>(ITenantContext tenant, IEnumerable<LocalDate> dates, IRosterExceptionHours hours, FluentValidation.ValidationContext<T> context)
    {
        if (hours.Closed != false || hours.Blocks is not { } blocks
            || tenant.Current is not { } business || DateTimeZoneProviders.Tzdb.GetZoneOrNull(business.TimeZone) is not { } zone)
        {
            return;
        }

        var changeDays = dates.Where(d => ZoneAbbreviation.IsChangeDay(zone, d)).ToList();
        var clock = TimeFormat.ForCountry(business.CountryCode);
        var dateStyle = DateStyle.ForCountry(business.CountryCode);
        for (var i = 0; i < blocks.Count && changeDays.Count > 0; i++)
        {
            foreach (var (field, text) in new[] { ("start", blocks[i]?.Start), ("end", blocks[i]?.End) })
            {
                if (text == "24:00" || RosterFormats.ParseTime(text) is not { } time)
                {
                    continue;
                }

                // Written as the staff diary writes it: the country's clock and date order ("1:30 AM on Sunday, March 14, 2027").
                var local = LocalTime.FromTimeOnly(TimeOnly.FromTimeSpan(time));
                if (changeDays.Select(day => ZoneAbbreviation.SkippedTimeMessage(zone, day.At(local), clock.Time(local), dateStyle.Long(day), clock.Time))
                        .FirstOrDefault(m => m is not null) is { } skipped)
                {
                    context.AddFailure(new FluentValidation.Results.ValidationFailure($"blocks[{i}].{field}", skipped));
                }
            }
        }
    }
}

/// <summary>The dates of exceptions: one date, or a range's first and last.</summary>
public static class RosterDateRules
{
    /// <summary>
    /// A "YYYY-MM-DD" date (else <paramref name="unreadable"/>) inside the staff window (busy blocks, staff bookings, the
    /// diary): a date in year 1 or 9999 is a slip, and its day's instants overflow in the business's zone, so the clash
    /// check after it failed.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> StaffDate<T>(this IRuleBuilderInitial<T, string?> rule, string unreadable, TimeProvider clock, ITenantContext tenant) =>
        rule.Cascade(CascadeMode.Stop)
            .Must(d => RosterFormats.ParseDate(d) is not null).WithMessage(unreadable)
            .Must(d => StaffWindow.AllowsDate(clock, tenant.Current?.TimeZone, LocalDate.FromDateOnly(RosterFormats.ParseDate(d)!.Value)))
            .WithMessage(_ => StaffWindow.DatesMessage(clock, tenant.Current?.TimeZone));

    /// <summary>
    /// <c>from</c> and <c>to</c> of a range (inclusive): both staff dates, the last not before the first, at most
    /// <see cref="CreateRosterExceptionRangeValidator.MaxDays"/> dates. Saving one and removing one take the same ranges.
    /// </summary>
    public static void AddRange<T>(AbstractValidator<T> validator, TimeProvider clock, ITenantContext tenant)
        where T : IRosterDateRange
    {
        validator.RuleFor(x => x.From).StaffDate(RosterProblemWords.BadFirstDate, clock, tenant);
        validator.RuleFor(x => x.To).StaffDate(RosterProblemWords.BadLastDate, clock, tenant)
            .Must((x, to) => RosterFormats.ParseDate(x.From) is not { } from || RosterFormats.ParseDate(to)!.Value >= from)
            .WithMessage("The last date is before the first date.")
            .Must((x, to) => RosterFormats.ParseDate(x.From) is not { } from
                || RosterFormats.ParseDate(to)!.Value.DayNumber - from.DayNumber < CreateRosterExceptionRangeValidator.MaxDays)
            .WithMessage($"A range covers at most {CreateRosterExceptionRangeValidator.MaxDays} dates.");
    }
}

/// <summary>A range of local dates, first and last inclusive, "YYYY-MM-DD".</summary>
public interface IRosterDateRange
{
    string? From { get; }

    string? To { get; }
}

/// <summary>The closed flag and blocks of an exception, for one date or a range (<see cref="CreateRosterExceptionRange"/>).</summary>
public static class RosterExceptionHoursRules
{
    public static void Add<T>(AbstractValidator<T> validator)
        where T : IRosterExceptionHours
    {
        validator.RuleFor(x => x.Closed).NotNull().WithMessage("Say whether the diary is closed that day.");
        validator.RuleFor(x => x).Custom((command, context) =>
        {
            if (command.Closed == true)
            {
                if (command.Blocks is { Count: > 0 })
                {
                    context.AddFailure(new FluentValidation.Results.ValidationFailure("blocks", "A closed day has no blocks; leave the list empty."));
                }

                return;
            }

            if (command.Closed == false && command.Blocks is { Count: 0 })
            {
                context.AddFailure(new FluentValidation.Results.ValidationFailure("blocks", "Give the day's other hours, or mark it closed."));
                return;
            }

            foreach (var failure in BlockValidation.Check(command.Blocks, weekly: false))
            {
                context.AddFailure(failure);
            }
        });
    }
}

public sealed class CreateRosterExceptionHandler(RosterDbContext db, TimeProvider clock, ISender sender) : ICommandHandler<CreateRosterException, RosterExceptionResponse>
{
    public async ValueTask<RosterExceptionResponse> Handle(CreateRosterException command, CancellationToken cancellationToken)
    {
        await RosterReads.EnsureDiaryAsync(db, command.DiaryId, cancellationToken);
        var date = RosterFormats.ParseDate(command.Date)!.Value;
        if (await db.Exceptions.AnyAsync(e => e.DiaryId == command.DiaryId && e.Date == date, cancellationToken))
        {
            throw RosterExceptionWrites.DateTaken();
        }

        var exception = new RosterException
        {
            Id = Guid.CreateVersion7(),
            DiaryId = command.DiaryId,
            Date = date,
            Closed = command.Closed!.Value,
            Blocks = RosterExceptionWrites.BlocksOf(command),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Exceptions.Add(exception);
        // Saved and its clashes read in one transaction: a clash read that fails leaves no exception behind.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The business's hours lock, exclusive, before writing (decision 342): bookings under way commit first and are listed.
        await db.LockHoursAndRaiseVersionAsync(cancellationToken);
        await RosterExceptionWrites.SaveAsync(db, cancellationToken);
        var response = await RosterExceptionWrites.WithClashesAsync(sender, exception, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return response;
    }
}

public sealed class ChangeRosterExceptionHandler(RosterDbContext db, ISender sender) : ICommandHandler<ChangeRosterException, RosterExceptionResponse>
{
    /// <summary>A change that finds the exception deleted by the time it saves looks again: 404.</summary>
    public async ValueTask<RosterExceptionResponse> Handle(ChangeRosterException command, CancellationToken cancellationToken)
    {
        // Changed and its clashes read in one transaction: a clash read that fails leaves the exception as it was.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The business's hours lock, exclusive, before writing (decision 342): bookings under way commit first and are listed.
        await db.LockHoursAndRaiseVersionAsync(cancellationToken);
        var exception = await db.RetryOnConcurrentChangeAsync(() => ChangeAsync(command, cancellationToken));
        var response = await RosterExceptionWrites.WithClashesAsync(sender, exception, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return response;
    }

    private async Task<RosterException> ChangeAsync(ChangeRosterException command, CancellationToken cancellationToken)
    {
        var exception = await db.Exceptions.FirstOrDefaultAsync(e => e.Id == command.ExceptionId && e.DiaryId == command.DiaryId, cancellationToken)
            ?? throw ProblemException.NotFound("Exception not found.");
        var date = RosterFormats.ParseDate(command.Date)!.Value;
        if (date != exception.Date
            && await db.Exceptions.AnyAsync(e => e.DiaryId == command.DiaryId && e.Date == date && e.Id != exception.Id, cancellationToken))
        {
            throw RosterExceptionWrites.DateTaken();
        }

        exception.Date = date;
        exception.Closed = command.Closed!.Value;
        exception.Blocks = RosterExceptionWrites.BlocksOf(command);
        await RosterExceptionWrites.SaveAsync(db, cancellationToken);
        return exception;
    }
}

internal static class RosterExceptionWrites
{
    public static FluentValidation.ValidationException DateTaken() =>
        ProblemException.Invalid("date", "This diary already has an exception on this date; change that one instead.");

    /// <summary>The blocks of a validated create or change: none for a closed day.</summary>
    public static List<ExceptionBlock> BlocksOf(IRosterExceptionHours fields) => fields.Closed!.Value
        ? []
        : fields.Blocks!.Select(b => new ExceptionBlock(RosterFormats.ParseTime(b!.Start)!.Value, RosterFormats.ParseEnd(b.End)!.Value, b.BookableOnline ?? true)).ToList();

    /// <summary>
    /// The saved exception with the live appointments its hours leave out (Appointments' <see cref="FindHoursClashes"/>,
    /// every block counting, online or not): reported, never cancelled, since staff may close a day meaning to ring them.
    /// </summary>
    public static async Task<RosterExceptionResponse> WithClashesAsync(ISender sender, RosterException exception, CancellationToken cancellationToken)
    {
        var hours = exception.Blocks.Select(b => new ClockSpan(b.Start, b.End)).ToList();
        var clashes = await sender.Send(new FindHoursClashes(exception.DiaryId, exception.Date, hours), cancellationToken);
        return RosterExceptionResponse.From(exception) with { Clashes = clashes };
    }

    /// <summary>Saves; a date another request took in the meantime (the unique index) is the same field error.</summary>
    public static async Task SaveAsync(RosterDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw DateTaken();
        }
    }
}

public sealed class ListRosterExceptionsHandler(RosterDbContext db) : IQueryHandler<ListRosterExceptions, RosterExceptionList>
{
    public async ValueTask<RosterExceptionList> Handle(ListRosterExceptions query, CancellationToken cancellationToken)
    {
        await RosterReads.EnsureDiaryAsync(db, query.DiaryId, cancellationToken);
        var listed = db.Exceptions.AsNoTracking().Where(e => e.DiaryId == query.DiaryId);
        if (RosterFormats.ParseDate(query.From) is { } from && RosterFormats.ParseDate(query.To) is { } to)
        {
            var inRange = (await listed.Where(e => e.Date >= from && e.Date <= to).OrderBy(e => e.Date).ToListAsync(cancellationToken))
                .Select(RosterExceptionResponse.From).ToList();
            return new RosterExceptionList(inRange) { Fingerprint = RosterExceptionFingerprint.Of(RosterFormats.FormatDate(from), RosterFormats.FormatDate(to), inRange) };
        }

        var exceptions = await listed.OrderBy(e => e.Date).ToListAsync(cancellationToken);
        return new RosterExceptionList(exceptions.Select(RosterExceptionResponse.From).ToList());
    }
}

/// <summary>One dated exception of a diary (the <c>Location</c> a create answers).</summary>
public sealed record GetRosterException(Guid DiaryId, Guid Id) : IQuery<RosterExceptionResponse>;

public sealed class GetRosterExceptionHandler(RosterDbContext db) : IQueryHandler<GetRosterException, RosterExceptionResponse>
{
    public async ValueTask<RosterExceptionResponse> Handle(GetRosterException query, CancellationToken cancellationToken)
    {
        var exception = await db.Exceptions.AsNoTracking().FirstOrDefaultAsync(e => e.Id == query.Id && e.DiaryId == query.DiaryId, cancellationToken)
            ?? throw ProblemException.NotFound("Exception not found.");
        return RosterExceptionResponse.From(exception);
    }
}

public sealed class DeleteRosterExceptionHandler(RosterDbContext db, ISender sender) : ICommandHandler<DeleteRosterException, RosterExceptionsRemoved>
{
    /// <summary>
    /// A delete that finds the row already gone by the time it saves (two at once) looks again: 404. Removed and its
    /// clashes read in one transaction, as a save's are: a clash read that fails leaves the exception where it was.
    /// </summary>
    public async ValueTask<RosterExceptionsRemoved> Handle(DeleteRosterException command, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The business's hours lock, exclusive, before writing (decision 342): bookings under way commit first and are listed.
        await db.LockHoursAndRaiseVersionAsync(cancellationToken);
        var removed = await db.RetryOnConcurrentChangeAsync(async () =>
        {
            if (command.Expect is not null)
            {
                // Locked first, so what is compared is what goes: a change by someone else waits, or is seen (decision 267).
                await db.Database.ExecuteSqlAsync(
                    $"SELECT 1 FROM roster.roster_exceptions WHERE id = {command.ExceptionId} AND diary_id = {command.DiaryId} FOR UPDATE", cancellationToken);
            }

            var exception = await db.Exceptions.FirstOrDefaultAsync(e => e.Id == command.ExceptionId && e.DiaryId == command.DiaryId, cancellationToken)
                ?? throw ProblemException.NotFound("Exception not found.");
            if (command.Expect is { } expected && !RosterExceptionFingerprint.Matches(expected, RosterExceptionFingerprint.OfOne(RosterExceptionResponse.From(exception))))
            {
                throw RosterExceptionFingerprint.ChangedOne();
            }

            db.Exceptions.Remove(exception);
            await db.SaveChangesAsync(cancellationToken);
            return exception;
        });
        var clashes = await RemovalClashes.FindAsync(db, sender, command.DiaryId, [removed.Date], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RosterExceptionsRemoved(1, [RosterFormats.FormatDate(removed.Date)], clashes);
    }
}

public static class RosterExceptionsEndpoints
{
    public static void MapRosterExceptions(this IEndpointRouteBuilder app)
    {
        app.MapRosterExceptionRanges();
        // from and to (optional, together): those dates' exceptions and their fingerprint, for a range removal's expect.
        app.MapGet("/api/v1/admin/diaries/{id}/exceptions", async (string id, string? from, string? to, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ListRosterExceptions(RouteIds.Parse(id, "Diary"), from, to), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("ListRosterExceptions")
            .WithTags("Setup")
            .Produces<RosterExceptionList>();

        app.MapPost("/api/v1/admin/diaries/{id}/exceptions", async (string id, ExceptionInput body, ISender sender, CancellationToken ct) =>
            {
                var diaryId = RouteIds.Parse(id, "Diary");
                var created = await sender.Send(new CreateRosterException(diaryId, body.Date, body.Closed, body.Blocks), ct);
                return Results.Created($"/api/v1/admin/diaries/{diaryId}/exceptions/{created.Id}", created);
            })
            .RequireStaff(StaffRoles.Setup)
            .WithName("CreateRosterException")
            .WithTags("Setup")
            .Accepts<ExceptionInput>("application/json")
            .Produces<RosterExceptionResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        app.MapGet("/api/v1/admin/diaries/{id}/exceptions/{exceptionId}", async (string id, string exceptionId, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetRosterException(RouteIds.Parse(id, "Diary"), RouteIds.Parse(exceptionId, "Exception")), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("GetRosterException")
            .WithTags("Setup")
            .Produces<RosterExceptionResponse>();

        app.MapPut("/api/v1/admin/diaries/{id}/exceptions/{exceptionId}", async (string id, string exceptionId, ExceptionInput body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ChangeRosterException(RouteIds.Parse(id, "Diary"), RouteIds.Parse(exceptionId, "Exception"), body.Date, body.Closed, body.Blocks), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("ChangeRosterException")
            .Answers(409, ProblemKinds.ChangedMeanwhile)
            .WithTags("Setup")
            .Accepts<ExceptionInput>("application/json")
            .Produces<RosterExceptionResponse>()
            .ProducesValidationProblem();

        // 204 as API.md has it; with "Prefer: return=representation" (RFC 7240) 200 with what was removed and the clashes
        // (the range removal's answer), which the page always reads through the command (decision 258).
        // expect (optional): its date's fingerprint as read; removes nothing (409) when it says anything else now (decision 267).
        app.MapDelete("/api/v1/admin/diaries/{id}/exceptions/{exceptionId}", async (string id, string exceptionId, string? expect, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var removed = await sender.Send(new DeleteRosterException(RouteIds.Parse(id, "Diary"), RouteIds.Parse(exceptionId, "Exception"), expect), ct);
                if (!PrefersRepresentation(http.Request))
                {
                    return Results.NoContent();
                }

                http.Response.Headers["Preference-Applied"] = "return=representation";
                return Results.Ok(removed);
            })
            .RequireStaff(StaffRoles.Setup)
            .WithName("DeleteRosterException")
            .Answers(409, ProblemKinds.ChangedMeanwhile)
            .WithTags("Setup")
            .Produces(StatusCodes.Status204NoContent)
            .Produces<RosterExceptionsRemoved>()
            .ProducesValidationProblem();
    }

    /// <summary>A <c>Prefer</c> header (any of its values, comma-separated) holding <c>return=representation</c>.</summary>
    private static bool PrefersRepresentation(HttpRequest request) =>
        request.Headers["Prefer"].SelectMany(v => (v ?? "").Split(','))
            .Select(p => p.Split(';')[0].Replace(" ", "", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal))
            .Any(p => string.Equals(p, "return=representation", StringComparison.OrdinalIgnoreCase));
}
