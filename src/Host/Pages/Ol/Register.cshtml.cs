using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Register;
using Booking.PortalAuth.Features.Sessions;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

public sealed class RegisterModel : PortalPageModel
{
    protected override bool ReadsSession => false;

    protected override string? SignInMethod => "email";

    protected override bool ForNewClients => true;

    [BindProperty]
    public RegisterInput Input { get; set; } = new();

    /// <summary>Where the visitor was going (the confirm page of the time they chose); only a portal path is followed.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <remarks>
    /// Reachable while nothing is bookable online (a bookmarked link, decision 355), but it says so above the form, in the
    /// landing's words (<c>_NotTakingBookings</c>, with the contact where there is one), so nobody registers expecting to
    /// book (decision 359). The kept bookability: no query.
    /// </remarks>
    public async Task OnGetAsync(CancellationToken cancellationToken) => await ReadBookabilityAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync([FromServices] TrustedDevices devices, CancellationToken cancellationToken)
    {
        try
        {
            var client = await Sender.Send(new Register(Input.FirstName, Input.LastName, Input.Email, Input.Password, Settings.SignInMethods.Phone ? Input.Mobile : null) { Ip = HttpContext.ClientIp() }, cancellationToken);
            await PortalSessions.SignInAsync(HttpContext, Business.Id, client.Id, awaitingFirstRequest: false, hasPassword: true, PortalSessions.ByEmail, securityStamp: 0); // a row this request made
            devices.Keep(HttpContext, DeviceArea.Portal, client.DeviceToken!);
            if (client.VerifyMobile == true)
            {
                VerifyMobileNotice.Keep(TempData, Business.Id, client.Id);
            }

            return Redirect(ReturnTo(ReturnUrl) ?? (Settings.AccessLevels.Book ? PortalUrl("/ol/new-booking") : Home()));
        }
        catch (Exception ex) when (ModelState.TryAdd(ex))
        {
            Input.Password = null;
            await ReadBookabilityAsync(cancellationToken);
            return Page();
        }
    }

    public sealed class RegisterInput
    {
        public string? FirstName { get; set; }

        public string? LastName { get; set; }

        public string? Email { get; set; }

        public string? Mobile { get; set; }

        public string? Password { get; set; }
    }
}
