using Booking.BuildingBlocks.Problems;
using Booking.Host.Demo;
using Booking.PortalAuth.Features.Me;

namespace Booking.Host.Pages.Ol;

/// <summary>The booking URL a business shares: /ol/book?name=&lt;slug&gt;. There is no separate portal link.</summary>
public sealed class BookModel(IWebHostEnvironment environment) : PortalPageModel
{
    protected override bool ShowsPortalOffItself => true;

    public bool PortalOff => !Settings.Enabled;

    /// <summary>Development's demo business shows its demo logins, so a person can try it from the page alone.</summary>
    public bool ShowDemoHint => environment.IsDevelopment() && Business.Slug == DemoSeeder.Slug;

    /// <summary>The signed-in client (greeted by name; a client not yet approved is told bookings are requests).</summary>
    public PortalMe? Me { get; private set; }

    public bool CanBookHere => Settings.AccessLevels.Book && !NothingToBook;

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
        }

        if (ClientId is { } clientId)
        {
            try
            {
                Me = await Sender.Send(new GetPortalMe(clientId), cancellationToken);
            }
            catch (ProblemException)
            {
                Me = null; // the client was removed while signed in: the page still shows, without a name
            }
        }
    }
}
