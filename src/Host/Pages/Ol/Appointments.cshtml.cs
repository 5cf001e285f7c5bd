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

    /// <summary>What the appointment's cancel link says, from the API's canCancel, its status and the policy; None: no link.</summary>
    public CancelOffer Offer(PortalAppointmentView a)
    {
        var policy = Settings.CancellationPolicy;
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
}
