using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Me;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// /ol/account/mobile: step 1 of proving a mobile from Your details (StartMyMobileProof, as POST
/// /api/v1/portal/me/mobile/start): the number, then a code to it. Only where the business offers phone sign-in.
/// </summary>
public sealed class AccountMobileModel(TimeProvider clock) : PortalPageModel
{
    protected override bool RequiresClient => true;

    protected override string? SignInMethod => "phone";

    [BindProperty]
    public MobileInput Input { get; set; } = new();

    /// <summary>
    /// The box starts empty: a mobile typed at registration is kept only when no other client had it, so offering it here
    /// would tell whether the number was on file (the client types it again; its code then decides).
    /// </summary>
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            var sent = await Sender.Send(new StartMyMobileProof(Input.Mobile)
            {
                ClientId = ClientId!.Value,
                Ip = HttpContext.ClientIp(),
            }, cancellationToken);
            return Redirect(AccountMobileCodeModel.CodeUrl(this, sent, clock));
        }
        catch (Exception ex) when (ModelState.TryAdd(ex))
        {
            return Page();
        }
    }

    public sealed class MobileInput
    {
        public string? Mobile { get; set; }
    }
}
