using Booking.Appointments.Features.Availability;
using Booking.Appointments.Features.PortalAppointments;
using Booking.BuildingBlocks.Problems;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Me;
using Booking.Roster.Contracts;
using Booking.Services.Features.Portal;
using NodaTime;

namespace Booking.Host.Pages.Ol;

/// <summary>One of the client's other pets, offered the next free time (its link to the confirm page, prefilled).</summary>
/// <param name="Url">The confirm page for the time (service, diary, start, <c>pet=</c>), or, with nothing free that day,
/// the booking page for the service with the pet carried.</param>
public sealed record NextPetChoice(Guid PetId, string PetName, string Url);

/// <summary>
/// "Book Bella straight after?" on the Booked page (decision 285): for the client's other pets (at most
/// <see cref="MaxPets"/>), the next start free for the same service at or after this appointment's end on its day, with
/// the same diary first, else any diary offering the service online (the booking page's "anyone available"). Found with
/// the portal's own free-times read (<see cref="GetAvailability"/>, one read of that day) and booked through the usual
/// confirm page, so the policy, the price, requests of clients not yet approved and the limit all apply unchanged. Each
/// pet keeps its own appointment, cancellable on its own; nothing about the model changes.
/// </summary>
/// <param name="Time">"Sat 13 Dec, 10:30 AM with Anna" (the business's date order and clock; a room "— Room Two"); null when nothing is free.</param>
/// <param name="Start">The offered start (null when nothing is free).</param>
/// <param name="Day">The appointment's day, short ("Sat 13 Dec"), for "nothing free".</param>
/// <param name="Request">The client is not approved yet: each booking is a request, so the offer asks ("Ask for Bella straight after?").</param>
/// <param name="Limit">The booking-limit refusal's words while the client holds as much as the portal allows: no links then.</param>
public sealed record NextPetOffer(
    IReadOnlyList<NextPetChoice> Pets, string Service, string? Time, DateTimeOffset? Start, string Day, bool Request, string? Limit)
{
    /// <summary>The most other pets listed (a client with many books the rest from the booking page).</summary>
    public const int MaxPets = 3;

    /// <summary>The heading: the pet by name where there is one to offer, else "another pet".</summary>
    public string Heading => (Request ? "Ask for " : "Book ") + (Pets is [var one] ? one.PetName : "another pet") + " straight after?";

    /// <summary>Whether the appointment could lead to an offer at all (the page reads nothing more otherwise).</summary>
    public static bool Considered(PortalPageModel page, PortalAppointmentView a) =>
        page.Settings.BooksForPets && page.Settings.AccessLevels.Book && page.ClientId is not null
        && a.Pet is not null && a.Ended is null && a.Status is "confirmed" or "requested";

    /// <summary>The offer for this appointment, or null: no other pets, nothing bookable, the service no longer online.</summary>
    public static async Task<NextPetOffer?> ForAsync(PortalPageModel page, Mediator.ISender sender, PortalAppointmentView a, CancellationToken cancellationToken)
    {
        if (!Considered(page, a) || page.NothingToBook)
        {
            return null;
        }

        var clientId = page.ClientId!.Value;
        PortalMe me;
        try
        {
            me = await sender.Send(new GetPortalMe(clientId), cancellationToken);
        }
        catch (ProblemException)
        {
            return null; // the client was removed while signed in
        }

        var others = me.Pets.Where(p => p.Id != a.Pet!.Id).ToList();
        if (others.Count == 0)
        {
            return null;
        }

        var times = page.Times;
        var day = Instant.FromDateTimeOffset(a.Start).InZone(times.Zone).Date;
        if (page.Settings.AccessLevels.View)
        {
            // A pet that already has this service that day (Rex, once Bella is booked after him) is not offered again.
            var mine = (await sender.Send(new ListMyAppointments(clientId, "upcoming"), cancellationToken)).Items;
            var booked = mine.Where(x => x.Ended is null && x.Status is "confirmed" or "requested" or "cancellation-requested"
                    && x.Service.Id == a.Service.Id && x.Pet is not null
                    && Instant.FromDateTimeOffset(x.Start).InZone(times.Zone).Date == day)
                .Select(x => x.Pet!.Id).ToHashSet();
            others = others.Where(p => !booked.Contains(p.Id)).ToList();
            if (others.Count == 0)
            {
                return null;
            }
        }

        var service = (await sender.Send(new ListPortalServices(), cancellationToken)).Items.FirstOrDefault(s => s.Id == a.Service.Id);
        if (service is null)
        {
            return null; // no longer booked online: the confirm page would refuse it
        }

        // Only the pets the service is for (decision 358: Rex the dog is not offered the cat groom Bella just got).
        others = others.Where(p => service.Fits(p.Species)).Take(MaxPets).ToList();
        if (others.Count == 0)
        {
            return null;
        }

        var request = me.Status == "pending-approval";
        var dayText = times.Dates.Short(day);
        var limit = (await sender.Send(new GetMyBookingLimit(clientId, request, me.Pets.Count), cancellationToken)).Refusal;
        if (limit is not null)
        {
            return new NextPetOffer(others.Select(p => new NextPetChoice(p.Id, p.Name, "")).ToList(), service.Name, null, null, dayText, request, limit);
        }

        var (slot, diary) = await NextAsync(sender, service, a, day, cancellationToken);
        if (slot is null || diary is null)
        {
            // Nothing free after it that day: the booking page for the service, the pet carried (as "Choose another time" carries it).
            return new NextPetOffer(
                others.Select(p => new NextPetChoice(p.Id, p.Name, page.PortalUrl("/ol/new-booking", ("service", service.Id.ToString()),
                    ("date", NewBookingModel.Iso(day)), ("pet", p.Id.ToString())))).ToList(),
                service.Name, null, null, dayText, request, null);
        }

        var when = $"{dayText}, {times.Clock(slot.Start)} {DiaryKinds.With(diary.Kind, diary.Name)}";
        return new NextPetOffer(
            others.Select(p => new NextPetChoice(p.Id, p.Name, page.PortalUrl("/ol/new-booking/confirm", ("service", service.Id.ToString()),
                ("diary", diary.Id.ToString()), ("start", PortalTime.Iso(slot.Start)), ("pet", p.Id.ToString())))).ToList(),
            service.Name, when, slot.Start, dayText, request, null);
    }

    /// <summary>
    /// The first free start at or after the appointment's end on its day: with its own diary where that diary has one (and
    /// still offers the service online), else with any diary offering it (the first of the service's diaries free then).
    /// </summary>
    private static async Task<(SlotView? Slot, PortalDiary? Diary)> NextAsync(Mediator.ISender sender, PortalService service, PortalAppointmentView a,
        LocalDate day, CancellationToken cancellationToken)
    {
        AvailabilityView free;
        try
        {
            free = await sender.Send(new GetAvailability(service.Id.ToString(), "any", NewBookingModel.Iso(day), NewBookingModel.Iso(day)), cancellationToken);
        }
        catch (Exception ex) when (PageProblems.Kind(ex) is "validation" or "not-found")
        {
            return (null, null);
        }

        var after = free.Slots.Where(s => s.Start >= a.End).OrderBy(s => s.Start).ToList();
        if (service.Diaries.FirstOrDefault(d => d.Id == a.Diary.Id) is { } same && after.FirstOrDefault(s => s.DiaryIds.Contains(same.Id)) is { } withSame)
        {
            return (withSame, same);
        }

        foreach (var slot in after)
        {
            if (service.Diaries.FirstOrDefault(d => slot.DiaryIds.Contains(d.Id)) is { } any)
            {
                return (slot, any);
            }
        }

        return (null, null);
    }
}

/// <summary>The hint where a client with several pets starts booking (the landing page, the confirm page's "For").</summary>
public static class PetsHint
{
    public const string Text = "Booking for more than one pet? Book the first, then we'll offer the next pet straight after.";
}
