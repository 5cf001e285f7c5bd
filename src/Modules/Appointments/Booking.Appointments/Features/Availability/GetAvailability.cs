using System.Globalization;
using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.Appointments.Features.PortalAppointments;
using Booking.Appointments.Features.Scheduling;
using Booking.BuildingBlocks.Problems;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using FluentValidation;
using Mediator;
using NodaTime;

namespace Booking.Appointments.Features.Availability;

/// <summary>Query strings as given; the validator explains what is wrong with each.</summary>
public sealed record GetAvailability(string? Service, string? Diary, string? From, string? To) : IQuery<AvailabilityView>
{
    /// <summary>
    /// In-process only (the API never sets it): the grid starts offered, busy time aside. The confirm page asks this of
    /// a start that is not free, to tell a time taken since ("no longer free") from one never offered (a crafted 09:07).
    /// </summary>
    public bool BusyAside { get; init; }

    /// <summary>
    /// In-process only (the API never sets it): the appointment the client is moving (the Change time page, decision 294).
    /// Its own length and buffer, as booked, are offered rather than the service's current ones, as the move judges them
    /// (<c>BookingDesk.MoveAsync</c>); the caller has already found it as its client's. Its own busy time (with its buffer)
    /// is left out of the busy time, in the same query (decision 308): the move may overlap where it is now.
    /// </summary>
    public Guid? Moving { get; init; }
}

public sealed record AvailabilityView(string TimeZone, IReadOnlyList<SlotView> Slots);

/// <summary>A free start: nothing about who or what is around it (busy time is only the absence of slots).</summary>
public sealed record SlotView(DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<Guid> DiaryIds);

public static class DateRange
{
    public const int MaxDays = 31;

    public static bool TryParse(string? value, out LocalDate date)
    {
        date = default;
        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return false;
        }

        date = LocalDate.FromDateOnly(d);
        return true;
    }

    /// <summary>For values the validator has already accepted.</summary>
    public static LocalDate Parse(string? value) => TryParse(value, out var d) ? d : throw new FormatException("Not a date.");

    /// <summary>Left out or blank means anyone here (a query string's empty value); else as booking reads it.</summary>
    public static bool IsDiary(string? value) => string.IsNullOrEmpty(value) || DiaryChoice.IsAnyOrId(value);

    /// <summary>From/to dates, `to` inclusive, at most 31 days counting both ends.</summary>
    public static void Rules<T>(AbstractValidator<T> v, Func<T, string?> from, Func<T, string?> to)
    {
        v.RuleFor(x => from(x)).Must(s => TryParse(s, out _)).WithName("from").OverridePropertyName("from")
            .WithMessage("Give a date as YYYY-MM-DD.");
        v.RuleFor(x => to(x)).Must(s => TryParse(s, out _)).OverridePropertyName("to")
            .WithMessage("Give a date as YYYY-MM-DD.");
        v.RuleFor(x => x).Must(x =>
            {
                if (!TryParse(from(x), out var f) || !TryParse(to(x), out var t))
                {
                    return true;
                }

                return t >= f && Period.Between(f, t, PeriodUnits.Days).Days + 1 <= MaxDays;
            })
            .OverridePropertyName("to")
            .WithMessage($"Give `to` on or after `from`, at most {MaxDays} days counting both.");
    }
}

public sealed class GetAvailabilityValidator : AbstractValidator<GetAvailability>
{
    public GetAvailabilityValidator()
    {
        // A service or diary that is not an id is answered as one that does not exist (404, in the handler): API.md
        // answers a malformed id like a missing one.
        RuleFor(x => x.Service).NotEmpty().WithMessage("Choose a service.");
        DateRange.Rules(this, x => x.From, x => x.To);
    }
}

public sealed class GetAvailabilityHandler(ISender sender, Schedule schedule, AppointmentsDbContext db) : IQueryHandler<GetAvailability, AvailabilityView>
{
    public async ValueTask<AvailabilityView> Handle(GetAvailability query, CancellationToken cancellationToken)
    {
        // Slots are an offer to book: with booking switched off there is nothing to offer (access-level-off).
        await PortalAccess.RequireAsync(sender, l => l.Book, "book", cancellationToken);
        var none = new AvailabilityView(schedule.Zone.Id, []);
        var service = (Guid.TryParse(query.Service, out var serviceId) ? await sender.Send(new GetService(serviceId), cancellationToken) : null)
            ?? throw ProblemException.NotFound("No such service.");
        var diaryIds = service.DiaryIds.ToList();
        if (!DateRange.IsDiary(query.Diary))
        {
            throw ProblemException.NotFound("No such diary.");
        }

        if (Guid.TryParse(query.Diary, out var diaryId))
        {
            var known = await sender.Send(new GetDiaries([diaryId]), cancellationToken);
            if (known.Count == 0)
            {
                throw ProblemException.NotFound("No such diary.");
            }

            diaryIds = diaryIds.Where(d => d == diaryId).ToList();
        }

        if (service.Retired || !service.BookableOnline || diaryIds.Count == 0)
        {
            return none;
        }

        var rules = await MovingLength.ApplyAsync(db, await schedule.RulesAsync(service, cancellationToken), query.Moving, cancellationToken);
        var from = DateRange.Parse(query.From);
        var to = DateRange.Parse(query.To);
        // Past dates and dates beyond the horizon have no slots; only the bookable part of the range is computed.
        if (from < rules.Today)
        {
            from = rules.Today;
        }

        if (to > rules.LastBookableDate)
        {
            to = rules.LastBookableDate;
        }

        if (to < from)
        {
            return none;
        }

        var days = await schedule.OnlineDaysAsync(diaryIds, from, to, cancellationToken);
        if (days.Count == 0)
        {
            return none;
        }

        var (start, end) = schedule.Span(from, to);
        // A move's own time is not taken (decision 308): the move updates its own row, so it may overlap where it is now.
        List<BusyTime> busy = query.BusyAside ? [] : await schedule.BusyAsync(diaryIds, start, end + rules.Occupies, cancellationToken, query.Moving);
        var slots = SlotMaths.Free(rules, days, busy);
        return new AvailabilityView(schedule.Zone.Id,
            slots.Select(s => new SlotView(schedule.Render(s.Start), schedule.Render(s.End), s.DiaryIds)).ToList());
    }
}
