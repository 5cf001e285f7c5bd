using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.Roster.Data;
using Booking.Roster.Domain;
using Booking.Roster.Features.Exceptions;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Booking.Roster.Features.ClosedDays;

/// <summary>The body of <c>POST /api/v1/admin/closed-days</c>: dates inclusive, "YYYY-MM-DD"; the label optional.</summary>
public sealed record ClosedDaysInput(string? From, string? To, string? Label);

/// <summary>One date the business is closed: "YYYY-MM-DD" and its label ("" for none).</summary>
public sealed record BusinessClosedDayResponse(string Date, string Label)
{
    public static BusinessClosedDayResponse From(BusinessClosedDay day) => new(RosterFormats.FormatDate(day.Date), day.Label);
}

/// <summary>
/// The dates a save closed, by date, and the live appointments of every diary on them (each once, by start): all of
/// them are outside the hours now, as on a diary's closed day. Nothing is cancelled.
/// </summary>
public sealed record BusinessClosedDaysSaved(IReadOnlyList<BusinessClosedDayResponse> Items, IReadOnlyList<AppointmentClash> Clashes);

public sealed record BusinessClosedDayList(IReadOnlyList<BusinessClosedDayResponse> Items);

/// <summary>What a removal did: how many closed dates it removed and which, by date (<c>removed</c> 0 is an answer too).</summary>
public sealed record BusinessClosedDaysRemoved(int Removed, IReadOnlyList<string> Dates);

/// <summary>
/// Closes the whole business on every local date from <see cref="From"/> to <see cref="To"/> (inclusive) with one label:
/// every diary, and every diary added later, has no hours on them (decision 289). All or nothing: a date already closed
/// refuses the whole range, naming the dates, as a diary's range does (decision 242).
/// </summary>
public sealed record CreateBusinessClosedDays(string? From, string? To, string? Label) : ICommand<BusinessClosedDaysSaved>, IRosterDateRange;

/// <summary>The business's closed dates from <see cref="From"/> to <see cref="To"/>; without them, those from today (the business's) on.</summary>
public sealed record ListBusinessClosedDays(string? From = null, string? To = null) : IQuery<BusinessClosedDayList>, IRosterDateRange;

/// <summary>
/// Reopens the business on the dates from <see cref="From"/> to <see cref="To"/>: removes every business closed date
/// there, whatever its label. The diaries' own exceptions on those dates stay (they are not the business's).
/// </summary>
public sealed record DeleteBusinessClosedDays(string? From, string? To) : ICommand<BusinessClosedDaysRemoved>, IRosterDateRange;

public sealed class CreateBusinessClosedDaysValidator : AbstractValidator<CreateBusinessClosedDays>
{
    public CreateBusinessClosedDaysValidator(TimeProvider clock, ITenantContext tenant)
    {
        RosterDateRules.AddRange(this, clock, tenant);
        // A closed day in the past closes nothing and the page lists only today's and later ones, so it could never be
        // seen or removed there (decision 310): the first date is today or later, in the business's zone.
        RuleFor(x => x.From)
            .Must(from => RosterFormats.ParseDate(from) is not { } date || LocalDate.FromDateOnly(date) >= Today(clock, tenant))
            .When(x => RosterFormats.ParseDate(x.From) is { } date && StaffWindow.AllowsDate(clock, tenant.Current?.TimeZone, LocalDate.FromDateOnly(date)))
            .WithMessage(x => PastMessage(x.From, clock, tenant));
        RuleFor(x => x.Label).MaximumLength(BusinessClosedDay.MaxLabelLength).WithMessage("Use at most 100 characters.").OneLine();
    }

    /// <summary>Today in the business's zone.</summary>
    public static LocalDate Today(TimeProvider clock, ITenantContext tenant) =>
        Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(DateTimeZoneProviders.Tzdb.GetZoneOrNull(tenant.Current?.TimeZone ?? "") ?? DateTimeZone.Utc).Date;

    /// <summary>"Thursday 26 November 2026 has passed: close the business from today on."</summary>
    private static string PastMessage(string? from, TimeProvider clock, ITenantContext tenant)
    {
        var dates = DateStyle.ForCountry(tenant.Current?.CountryCode);
        var date = LocalDate.FromDateOnly(RosterFormats.ParseDate(from)!.Value);
        return $"{dates.Long(date)} has passed: the business can be closed from today ({dates.Long(Today(clock, tenant))}) on.";
    }
}

public sealed class ListBusinessClosedDaysValidator : AbstractValidator<ListBusinessClosedDays>
{
    public ListBusinessClosedDaysValidator(TimeProvider clock, ITenantContext tenant) =>
        When(x => x.From is not null || x.To is not null, () => RosterDateRules.AddRange(this, clock, tenant));
}

public sealed class DeleteBusinessClosedDaysValidator : AbstractValidator<DeleteBusinessClosedDays>
{
    public DeleteBusinessClosedDaysValidator(TimeProvider clock, ITenantContext tenant) => RosterDateRules.AddRange(this, clock, tenant);
}

public sealed class CreateBusinessClosedDaysHandler(RosterDbContext db, TimeProvider clock, ISender sender, ITenantContext tenant)
    : ICommandHandler<CreateBusinessClosedDays, BusinessClosedDaysSaved>
{
    public async ValueTask<BusinessClosedDaysSaved> Handle(CreateBusinessClosedDays command, CancellationToken cancellationToken)
    {
        var from = RosterFormats.ParseDate(command.From)!.Value;
        var to = RosterFormats.ParseDate(command.To)!.Value;
        var taken = await db.ClosedDays.AsNoTracking()
            .Where(c => c.Date >= from && c.Date <= to)
            .OrderBy(c => c.Date).Select(c => c.Date).ToListAsync(cancellationToken);
        if (taken.Count > 0)
        {
            throw DatesTaken(taken, DateStyle.ForCountry(tenant.Current?.CountryCode));
        }

        var now = clock.GetUtcNow();
        var label = command.Label?.Trim() ?? "";
        var days = Enumerable.Range(0, to.DayNumber - from.DayNumber + 1)
            .Select(i => new BusinessClosedDay { Date = from.AddDays(i), Label = label, CreatedAt = now }).ToList();
        db.ClosedDays.AddRange(days);
        // One transaction, one save: every date or none; a date closed by another save meanwhile (the key) refuses the lot.
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
                "One of these dates was closed by another save meanwhile, so nothing was saved. Look at the closed days and try again.");
        }

        // Every diary's live appointments on those dates, as a diary's closed days answer them: each diary, active or
        // not (the staff diary marks both "Outside hours"), asked once for the whole range.
        var diaries = await db.Diaries.AsNoTracking().OrderBy(d => d.Name).ThenBy(d => d.Id).Select(d => d.Id).ToListAsync(cancellationToken);
        List<AppointmentClash> clashes = [];
        foreach (var diaryId in diaries)
        {
            clashes.AddRange(await sender.Send(new FindHoursClashes(diaryId, from, [], to), cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return new BusinessClosedDaysSaved(days.Select(BusinessClosedDayResponse.From).ToList(),
            clashes.DistinctBy(c => c.AppointmentId).OrderBy(c => c.Start).ThenBy(c => c.AppointmentId).ToList());
    }

    /// <summary>
    /// "The business is already closed on Friday 25 December 2026 …": the dates as every page writes them (the business's
    /// <see cref="DateStyle"/>), at most ten named, then how many more.
    /// </summary>
    public static FluentValidation.ValidationException DatesTaken(IReadOnlyList<DateOnly> taken, DateStyle dates)
    {
        var named = string.Join(", ", taken.Take(10).Select(d => dates.Long(LocalDate.FromDateOnly(d))));
        var more = taken.Count > 10 ? $" and {taken.Count - 10} more" : "";
        return ProblemException.Invalid("from",
            $"The business is already closed on {named}{more}; nothing was saved. Remove {(taken.Count == 1 ? "that closed day" : "those closed days")} first, or choose dates around {(taken.Count == 1 ? "it" : "them")}.");
    }
}

public sealed class ListBusinessClosedDaysHandler(RosterDbContext db, TimeProvider clock, ITenantContext tenant)
    : IQueryHandler<ListBusinessClosedDays, BusinessClosedDayList>
{
    public async ValueTask<BusinessClosedDayList> Handle(ListBusinessClosedDays query, CancellationToken cancellationToken)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(tenant.Current?.TimeZone ?? "") ?? DateTimeZone.Utc;
        var from = RosterFormats.ParseDate(query.From) ?? Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(zone).Date.ToDateOnly();
        var to = RosterFormats.ParseDate(query.To) ?? DateOnly.MaxValue;
        var days = await db.ClosedDays.AsNoTracking()
            .Where(c => c.Date >= from && c.Date <= to)
            .OrderBy(c => c.Date).ToListAsync(cancellationToken);
        return new BusinessClosedDayList(days.Select(BusinessClosedDayResponse.From).ToList());
    }
}

public sealed class DeleteBusinessClosedDaysHandler(RosterDbContext db) : ICommandHandler<DeleteBusinessClosedDays, BusinessClosedDaysRemoved>
{
    /// <summary>One save: the range's closed dates all go or none do. Only the business's rows: the diaries' own exceptions stay.</summary>
    public async ValueTask<BusinessClosedDaysRemoved> Handle(DeleteBusinessClosedDays command, CancellationToken cancellationToken)
    {
        var from = RosterFormats.ParseDate(command.From)!.Value;
        var to = RosterFormats.ParseDate(command.To)!.Value;
        var days = await db.ClosedDays.Where(c => c.Date >= from && c.Date <= to).OrderBy(c => c.Date).ToListAsync(cancellationToken);
        db.ClosedDays.RemoveRange(days);
        await db.SaveChangesAsync(cancellationToken);
        return new BusinessClosedDaysRemoved(days.Count, days.Select(d => RosterFormats.FormatDate(d.Date)).ToList());
    }
}

public static class BusinessClosedDaysEndpoints
{
    public static void MapBusinessClosedDays(this IEndpointRouteBuilder app)
    {
        // from and to (optional, together): those dates' closures; without them, today's and later ones.
        app.MapGet("/api/v1/admin/closed-days", async (string? from, string? to, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ListBusinessClosedDays(from, to), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("ListBusinessClosedDays")
            .WithTags("Setup")
            .Produces<BusinessClosedDayList>()
            .ProducesValidationProblem();

        app.MapPost("/api/v1/admin/closed-days", async (ClosedDaysInput body, ISender sender, CancellationToken ct) =>
                Results.Created("/api/v1/admin/closed-days", await sender.Send(new CreateBusinessClosedDays(body.From, body.To, body.Label), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("CreateBusinessClosedDays")
            .WithTags("Setup")
            .Accepts<ClosedDaysInput>("application/json")
            .Produces<BusinessClosedDaysSaved>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        // The range in the query, as a DELETE has no body to rely on (as the diary's range removal).
        app.MapDelete("/api/v1/admin/closed-days", async (string? from, string? to, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new DeleteBusinessClosedDays(from, to), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("DeleteBusinessClosedDays")
            .WithTags("Setup")
            .Produces<BusinessClosedDaysRemoved>()
            .ProducesValidationProblem();
    }
}
