using Booking.Appointments.Features.PortalAppointments;
using Booking.PortalAuth.Features.Me;

namespace Booking.Host.Pages.Ol;

public sealed class AppointmentsModel(TimeProvider clock) : PortalPageModel
{
    protected override bool RequiresClient => true;

    protected override PortalAccess RequiredAccess => PortalAccess.View;

    public PortalMe Me { get; private set; } = null!;

    public IReadOnlyList<PortalAppointmentView> Upcoming { get; private set; } = [];

    public IReadOnlyList<PortalAppointmentView> Past { get; private set; } = [];

    /// <summary>The upcoming requests the business has not decided yet (the list's <c>requested</c> ones).</summary>
    public RequestsWaiting RequestsWaiting => new(Upcoming.Count(a => a.Status == "requested"));

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var clientId = ClientId!.Value;
        Me = await Sender.Send(new GetPortalMe(clientId), cancellationToken);
        Upcoming = (await Sender.Send(new ListMyAppointments(clientId, "upcoming"), cancellationToken)).Items;
        Past = (await Sender.Send(new ListMyAppointments(clientId, "past"), cancellationToken)).Items;
    }

    /// <summary>
    /// "You can cancel online until Monday 7 December at 10:00 AM." for a confirmed appointment still outside its window:
    /// the window it was booked under (decision 270), whatever the business's policy says today. Null otherwise.
    /// </summary>
    public string? CancelUntil(PortalAppointmentView a)
    {
        var policy = a.CancellationPolicy;
        if (a.Status != "confirmed" || !a.CanCancel || policy.Hours <= 0 || policy.IsInside(a.Start, clock.GetUtcNow()))
        {
            return null;
        }

        var until = Times.When(a.Start.AddHours(-policy.Hours));
        return policy.TakesRequests && a.CancellationRequestsUsedUp
            ? $"You can cancel online until {until}; after that, " + (Chrome.HasContact ? $"contact {Business.Name} to cancel it." : "it cannot be cancelled online.")
            : policy.TakesRequests
            ? $"You can cancel online until {until}; after that, cancelling is a request {Business.Name} decides."
            : $"You can cancel online until {until}.";
    }

    /// <summary>
    /// Said once under the list for the appointments marked "Too late to cancel online" (review s42 #11: the list said
    /// "Too late to cancel online? Contact …" under the same words): the window they were booked under when they share
    /// one (decision 270: each keeps its own), then who to contact. "Online cancelling closes 24 hours before an
    /// appointment's start. To cancel one marked "Too late to cancel online", contact Harbour Physio."
    /// </summary>
    /// <param name="reachable">The business gave a contact: without one only the window is said (empty when they differ), no "contact" (decision 359).</param>
    public string TooLateNote(bool reachable)
    {
        var windows = Upcoming.Where(a => Offer(a) == CancelOffer.TooLate).Select(a => a.CancellationPolicy.Hours).Distinct().ToList();
        var window = windows is [var hours] && hours > 0 ? $"Online cancelling closes {Booking.BuildingBlocks.Time.NoticePeriod.Text(hours)} before an appointment's start. " : "";
        return reachable ? $"{window}To cancel one marked \u201cToo late to cancel online\u201d, contact {Business.Name}." : window.TrimEnd();
    }

    /// <summary>"Harbour Physio has since closed on this day. They may be in touch; …" (the answer's <c>onClosedDay</c>, decision 325).</summary>
    public string ClosedDayNote(PortalAppointmentView a) => ClosedDay.Note(Business.Name, a, clock.GetUtcNow(), ClosedDay.Here.List, Chrome.HasContact);

    /// <summary>
    /// The appointment could be moved but for its service, which clients can no longer book online (the answer's
    /// <c>cannotMoveReason</c> <c>service-not-offered</c>, decision 318): the list says so instead of a Change time link.
    /// </summary>
    public static bool NotOfferedOnline(PortalAppointmentView a) =>
        a.CannotMoveReason == Booking.Appointments.Features.Moves.PortalMoves.ServiceNotOffered;

    /// <summary>What the appointment's cancel link says, from the API's canCancel, its status and the policy; None: no link.</summary>
    public CancelOffer Offer(PortalAppointmentView a)
    {
        // The appointment's own window, the policy it was booked under (decision 270), not today's.
        var policy = a.CancellationPolicy;
        var insideWindow = policy.IsInside(a.Start, clock.GetUtcNow());
        if (a.CanCancel)
        {
            // Inside the window a confirmed appointment can only be asked about (the business takes requests).
            return a.Status == "confirmed" && insideWindow && policy.InsideWindow == "request" ? CancelOffer.Ask : CancelOffer.Cancel;
        }

        if (!Settings.AccessLevels.Cancel)
        {
            return CancelOffer.None;
        }

        if (a.Status == "cancellation-requested")
        {
            // Waiting for the business: the Cancel page says so and offers "Keep my appointment".
            return CancelOffer.Withdraw;
        }

        // The client asked to cancel it and took the request back as often as they may (decision 309): they call instead.
        if (a.Status == "confirmed" && insideWindow && policy.InsideWindow == "request" && a.CancellationRequestsUsedUp)
        {
            return CancelOffer.UsedUp;
        }

        // Inside the window of a business that takes requests, a confirmed appointment is not cancellable only because the
        // business kept it when the client asked (the API's cancellation-declined; the Cancel page's rule too).
        if (a.Status == "confirmed" && insideWindow && policy.InsideWindow == "request")
        {
            return CancelOffer.Kept;
        }

        return a.Status is "confirmed" or "requested" && insideWindow ? CancelOffer.TooLate : CancelOffer.None;
    }
}

public enum CancelOffer
{
    None,
    Cancel,
    Ask,
    TooLate,

    /// <summary>A cancellation request waits for the business: a link to see it and withdraw it.</summary>
    Withdraw,

    /// <summary>The business kept it when the client asked to cancel: say so, with the contact.</summary>
    Kept,

    /// <summary>The client asked to cancel it and took the request back too often to ask online again: say so, with the contact.</summary>
    UsedUp,
}
