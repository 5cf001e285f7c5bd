using Booking.Appointments.Features.PortalAppointments;
using Booking.BuildingBlocks.Problems;
using Booking.Host.Demo;
using Booking.PortalAuth.Features.Me;
using Booking.Services.Contracts;

namespace Booking.Host.Pages.Ol;

/// <summary>The booking URL a business shares: /ol/book?name=&lt;slug&gt;. There is no separate portal link.</summary>
public sealed class BookModel(IWebHostEnvironment environment) : PortalPageModel
{
    protected override bool ShowsPortalOffItself => true;

    /// <summary>
    /// The landing's line under the business's name: what the portal lets clients do, by its access levels (a view-only
    /// portal does not say "Book"); null when it lets them do none of it.
    /// </summary>
    public static string? Tagline(bool book, bool view, bool cancel) => (book, view, cancel) switch
    {
        (true, _, true) => "Book and manage your appointments online.",
        (true, true, false) => "Book and see your appointments online.",
        (true, false, false) => "Book your appointments online.",
        (false, true, true) => "See and cancel your appointments online.",
        (false, true, false) => "See your appointments online.",
        (false, false, true) => "Cancel your appointments online.",
        _ => null,
    };

    public bool PortalOff => !Settings.Enabled;

    /// <summary>Development's demo business shows its demo logins, so a person can try it from the page alone.</summary>
    public bool ShowDemoHint => environment.IsDevelopment() && Business.Slug == DemoSeeder.Slug;

    /// <summary>The signed-in client (greeted by name; a client not yet approved is told bookings are requests).</summary>
    public PortalMe? Me { get; private set; }

    public bool CanBookHere => Settings.AccessLevels.Book && !NothingToBook;

    /// <summary>
    /// "New here? Create an account…" only where a newcomer could go on to book (s42 review #6): not while nothing is
    /// bookable online (a business still setting up, or one closed for now), where the account would lead nowhere and
    /// the page already says whom to contact. Fully booked still offers it: times free up.
    /// </summary>
    public bool OffersJoining => TakesNewClients && NotBookableReason != NotBookableReasons.NothingBookable;

    /// <summary>
    /// Nothing can be booked, but online booking was open before (<see cref="OnlineBookability.OpenedBefore"/>: clients
    /// have booked online, or a diary offering a service online was switched off): "closed for now", not "not open yet".
    /// </summary>
    public bool ClosedForNow { get; private set; }

    /// <summary>
    /// A signed-in client's booking requests the business has not decided yet, said as My appointments says them (where
    /// the client may see the list). Booking stays offered: a filed request opens the portal for good (FirstRequestGate),
    /// and a client not yet approved may send more requests.
    /// </summary>
    public RequestsWaiting? Waiting { get; private set; }

    /// <summary>
    /// The client already holds as much as the business lets one client book online (the booking-limit refusal's words,
    /// <see cref="GetMyBookingLimit"/>): said in place of "Book an appointment", before any time is chosen.
    /// </summary>
    public string? AtLimit { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (PortalOff)
        {
            Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        if (Settings.AccessLevels.Book)
        {
            // Nothing can be booked (review J10): the page says so with the contact instead of offering booking.
            await ReadBookabilityAsync(cancellationToken);
            if (NotBookableReason == NotBookableReasons.NothingBookable)
            {
                // The same kept answer ReadBookabilityAsync read (no query): was it open before?
                ClosedForNow = (await Sender.Send(new GetOnlineBookability(), cancellationToken)).OpenedBefore;
            }
        }

        if (ClientId is { } clientId)
        {
            try
            {
                Me = await Sender.Send(new GetPortalMe(clientId), cancellationToken);
                if (CanBookHere && !AwaitingFirstRequest)
                {
                    // One statement for both: the requests waiting, and whether a booking would meet the limit now.
                    var limit = await Sender.Send(new GetMyBookingLimit(clientId, Me.Status == "pending-approval", Me.Pets.Count), cancellationToken);
                    AtLimit = limit.Refusal;
                    Waiting = Settings.AccessLevels.View ? new RequestsWaiting(limit.Waiting, PortalUrl("/ol/appointments")) : null;
                }
                else if (Settings.AccessLevels.View && !AwaitingFirstRequest)
                {
                    Waiting = new RequestsWaiting(await Sender.Send(new CountMyWaitingRequests(clientId), cancellationToken), PortalUrl("/ol/appointments"));
                }
            }
            catch (ProblemException)
            {
                Me = null; // the client was removed while signed in: the page still shows, without a name
            }
        }
    }
}
