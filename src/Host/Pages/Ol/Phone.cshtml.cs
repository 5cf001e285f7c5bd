using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Phone;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>Step 1 of phone sign-in: the same "code sent" whether or not the phone is on file.</summary>
public sealed class PhoneModel(TimeProvider clock) : PortalPageModel
{
    protected override bool ReadsSession => false;

    protected override string? SignInMethod => "phone";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public PhoneInput Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            var sent = await Sender.Send(new StartPhoneSignIn(Input.Mobile) { Ip = HttpContext.ClientIp() }, cancellationToken);
            return Redirect(PhoneCodeModel.CodeUrl(this, sent, clock, ReturnUrl));
        }
        catch (Exception ex) when (ex is ProblemException { Kind: ProblemKinds.RateLimited, RetryAfterSeconds: { } wait })
        {
            // The wait in plain words, as the code page says it (decision 344): minutes for the hourly cap, not "wait a little".
            ModelState.AddModelError("", CodeLimitWords.For(wait));
            return Page();
        }
        catch (Exception ex) when (ModelState.TryAdd(ex))
        {
            return Page();
        }
    }

    public sealed class PhoneInput
    {
        public string? Mobile { get; set; }
    }
}
