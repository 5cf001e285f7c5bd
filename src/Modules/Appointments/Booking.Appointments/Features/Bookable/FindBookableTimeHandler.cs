using Booking.Appointments.Contracts;
using Booking.Appointments.Domain;
using Booking.Appointments.Features.Scheduling;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Mediator;
using NodaTime;

namespace Booking.Appointments.Features.Bookable;

/// <summary>
/// The first free start of the offers, by <see cref="SlotMaths"/> (the availability query's rule) over the roster's
/// online hours and <see cref="Schedule.BusyAsync"/>. Days are looked at in windows from the end of the minimum notice
/// (or of the day-before cut-off, whichever is later) (a week, then twice as long each time), so a business with a free time soon costs one small busy-time query; only a
/// business with nothing free reads its whole horizon.
/// </summary>
public sealed class FindBookableTimeHandler(ISender sender, Schedule schedule) : IQueryHandler<FindBookableTime, BookableTime>
{
    private const int FirstWindowDays = 7;

    public async ValueTask<BookableTime> Handle(FindBookableTime query, CancellationToken cancellationToken)
    {
        var services = (await sender.Send(new GetServices(OnlineOnly: false), cancellationToken)).ToDictionary(s => s.Id);
        var booking = await sender.Send(new GetBookingRules(), cancellationToken);
        var (zone, now) = (schedule.Zone, schedule.Now);
        var offers = query.Offers
            .Where(o => o.DiaryIds.Count > 0 && services.TryGetValue(o.ServiceId, out var s) && !s.Retired && s.BookableOnline)
            .Select(o => new Offer(o.ServiceId, o.DiaryIds, new SlotRules(zone, now, booking.SlotIntervalMinutes, booking.MinimumNoticeMinutes, booking.HorizonDays,
                Duration.FromMinutes(services[o.ServiceId].DurationMinutes), Duration.FromMinutes(Math.Max(0, services[o.ServiceId].BufferAfterMinutes)))
            {
                DayBeforeCutoff = DayBeforeCutoff.Parse(booking.DayBeforeCutoff),
            }))
            .ToList();
        if (offers.Count == 0)
        {
            return new BookableTime(BookableOutcomes.NoOffer);
        }

        var first = offers[0].Rules;
        var from = first.ClientEarliest.InZone(zone).Date; // the notice's end, or the cut-off's first open date if later
        var last = first.LastBookableDate;
        if (from > last)
        {
            return new BookableTime(BookableOutcomes.NoticeBeyondHorizon, offers[0].ServiceId, offers[0].DiaryIds[0]);
        }

        var days = await schedule.OnlineDaysAsync(offers.SelectMany(o => o.DiaryIds).Distinct().ToList(), from, last, cancellationToken);
        var longest = offers.Max(o => o.Rules.Occupies);
        (Guid Service, Guid Diary)? taken = null;
        for (var (start, size) = (from, FirstWindowDays); start <= last; start = start.PlusDays(size), size *= 2)
        {
            var end = Period.Between(start, last, PeriodUnits.Days).Days < size ? last : start.PlusDays(size - 1);
            var window = days.Where(d => d.Date >= start && d.Date <= end).ToList();
            // The offered starts, busy time aside; busy time is read only for the diaries that have one.
            var offered = offers.Select(o => (Offer: o, Days: window.Where(d => o.DiaryIds.Contains(d.DiaryId)).ToList()))
                .Select(x => (x.Offer, x.Days, Starts: SlotMaths.Free(x.Offer.Rules, x.Days, [])))
                .Where(x => x.Starts.Count > 0)
                .ToList();
            if (offered.Count == 0)
            {
                continue;
            }

            var (spanStart, spanEnd) = schedule.Span(start, end);
            var busy = await schedule.BusyAsync(offered.SelectMany(x => x.Starts.SelectMany(s => s.DiaryIds)).Distinct().ToList(), spanStart, spanEnd + longest, cancellationToken);
            foreach (var (offer, offerDays, starts) in offered)
            {
                if (SlotMaths.Free(offer.Rules, offerDays, busy).FirstOrDefault() is { } slot)
                {
                    return new BookableTime(BookableOutcomes.Free, offer.ServiceId, offer.DiaryIds.First(slot.DiaryIds.Contains), schedule.Render(slot.Start),
                        schedule.Render(slot.Start + offer.Rules.Occupies));
                }

                taken ??= (offer.ServiceId, offer.DiaryIds.First(starts[0].DiaryIds.Contains));
            }
        }

        if (taken is { } t)
        {
            return new BookableTime(BookableOutcomes.Taken, t.Service, t.Diary);
        }

        // Nothing offered at all: hours after the notice that no start fits, or no hours there.
        foreach (var offer in offers)
        {
            var open = offer.DiaryIds.Where(id => days.Any(d => d.DiaryId == id && SlotMaths.OpenAfterNotice(offer.Rules, d))).ToList();
            if (open.Count > 0)
            {
                return new BookableTime(BookableOutcomes.TooShort, offer.ServiceId, open[0]);
            }
        }

        return new BookableTime(BookableOutcomes.NoHours, offers[0].ServiceId, offers[0].DiaryIds[0]);
    }

    private sealed record Offer(Guid ServiceId, IReadOnlyList<Guid> DiaryIds, SlotRules Rules);
}
