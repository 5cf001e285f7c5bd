using Booking.Host.Web;
using Booking.PortalAuth.Features.Me;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// /ol/account/email/confirm?token=: the page the email-change link opens (no sign-in needed: the link proves the
/// address). Its GET only asks ("Use … as your email?"), since mail scanners open links; the form's post confirms
/// (ConfirmMyEmail, as POST /api/v1/portal/auth/confirm-email). A dead link (expired, used, replaced, forged or another
/// business's) says so and changes nothing.
/// </summary>
public sealed class AccountEmailConfirmModel : PortalPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    /// <summary>The address the link would make the client's; null when it is dead.</summary>
    public string? NewEmail { get; private set; }

    public EmailConfirmed? Done { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var state = await Sender.Send(new CheckEmailChangeLink(Token), cancellationToken);
        NewEmail = state.NewEmail;
        if (state is { AlreadyDone: true, NewEmail: { } email })
        {
            Done = new EmailConfirmed(email, HadPassword: true, AlreadyDone: true);
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            Done = await Sender.Send(new ConfirmMyEmail(Token), cancellationToken);
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, field => field is "token" or "email" ? "" : PageProblems.DefaultInputName(field)))
        {
            NewEmail = null; // the link can do nothing now: say so, with no form
        }

        return Page();
    }
}
