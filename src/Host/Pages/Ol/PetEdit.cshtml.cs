using Booking.Host.Web;
using Booking.PortalAuth.Features.Me;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// /ol/pets/edit?id=: change one of the client's pets (ChangeMyPet, as PUT /api/v1/portal/me/pets/{id}); back to My
/// pets with a notice. Another client's pet, a removed one or a malformed id: "We could not find that pet." (404).
/// </summary>
public sealed class PetEditModel : PortalPageModel
{
    protected override bool RequiresClient => true;

    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    [BindProperty]
    public PetsModel.PetInput Input { get; set; } = new();

    /// <summary>The pet as it is on file (its name heads the page); null: not found.</summary>
    public PortalPet? Pet { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (Settings.BooksForPets && await FindAsync(cancellationToken) is { } pet)
        {
            Input = new PetsModel.PetInput { Name = pet.Name, Species = pet.Species, Breed = pet.Breed, Notes = pet.Notes };
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
            await Sender.Send(new ChangeMyPet(Input.Name, Input.Species, Input.Breed, Input.Notes) { ClientId = ClientId!.Value, Id = pet.Id }, cancellationToken);
            PortalNotice.Keep(TempData, Business.Id, pet.Id, PetsModel.Changed);
            return Redirect(PortalUrl("/ol/pets"));
        }
        catch (Exception ex) when (PetsModel.TryAddPetProblem(ModelState, ex))
        {
            if (PageProblems.Kind(ex) == "not-found")
            {
                // Removed meanwhile (another tab): the page says it is not found.
                ModelState.Clear();
                Pet = null;
                Response.StatusCode = StatusCodes.Status404NotFound;
            }

            return Page();
        }
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

/// <summary>One of the signed-in client's pets on file by the page's id, or null (not theirs, removed, not an id).</summary>
public static class MyPet
{
    public static Task<PortalPet?> FindAsync(Mediator.ISender sender, Guid clientId, string? id, CancellationToken cancellationToken) =>
        OwnItem.FindAsync(sender, id, petId => new GetMyPet(clientId, petId), cancellationToken);
}
