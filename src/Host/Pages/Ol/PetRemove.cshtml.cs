using Booking.Host.Web;
using Booking.PortalAuth.Features.Me;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// /ol/pets/remove?id=: the confirmation step of removing a pet (RemoveMyPet, as DELETE /api/v1/portal/me/pets/{id}). It
/// says what removing does (no longer offered for bookings; appointments already made keep it) before the button.
/// </summary>
public sealed class PetRemoveModel : PortalPageModel
{
    protected override bool RequiresClient => true;

    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    /// <summary>The pet on file; null: not found (not theirs, removed already, not an id).</summary>
    public PortalPet? Pet { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (Settings.BooksForPets)
        {
            await FindAsync(cancellationToken);
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!Settings.BooksForPets || await FindAsync(cancellationToken) is not { } pet)
        {
            return Page();
        }

        try
        {
            await Sender.Send(new RemoveMyPet(ClientId!.Value, pet.Id), cancellationToken);
        }
        catch (Exception ex) when (PageProblems.Kind(ex) == "not-found")
        {
            // Removed meanwhile (another tab): it is gone either way.
        }

        PortalNotice.Keep(TempData, Business.Id, pet.Id, PetsModel.Removed);
        return Redirect(PortalUrl("/ol/pets"));
    }

    private async Task<PortalPet?> FindAsync(CancellationToken cancellationToken)
    {
        Pet = await MyPet.FindAsync(Sender, ClientId!.Value, Id, cancellationToken);
        if (Pet is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Pet;
    }
}
