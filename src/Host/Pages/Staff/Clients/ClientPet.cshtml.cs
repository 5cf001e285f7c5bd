using Booking.BuildingBlocks.Problems;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Clients;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Clients;

/// <summary>
/// /staff/clients/{id}/pets/{petId}: staff edit one of a client's pets on file (ChangeClientPet, as PUT
/// /api/v1/admin/clients/{id}/pets/{petId}; the portal's pet rules). Only where the business books for pets. Another
/// client's or another business's pet, a removed or a missing one: the not-found page, alike.
/// </summary>
public sealed class ClientPetModel(ISender sender) : StaffPageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    [FromRoute]
    public Guid PetId { get; set; }

    public AdminClient Client { get; private set; } = null!;

    public AdminPet Pet { get; private set; } = null!;

    public bool BooksForPets { get; private set; }

    [BindProperty]
    public PetInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFoundPage();
        }

        Input = new PetInput { Name = Pet.Name, Species = Pet.Species, Breed = Pet.Breed, Notes = Pet.Notes };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear();
        try
        {
            var pet = await sender.Send(new ChangeClientPet(Id, PetId, Input.Name, Input.Species, Input.Breed, Input.Notes), ct);
            TempData["Notice"] = $"{pet.Name}'s details are saved.";
            return Redirect($"/staff/clients/{Id}");
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            return NotFoundPage();
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, PetInput.InputName("Input")))
        {
            return await LoadAsync(ct) ? Page() : NotFoundPage();
        }
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        try
        {
            Client = await sender.Send(new GetAdminClient(Id), ct);
            Pet = await sender.Send(new GetClientPet(Id, PetId), ct);
            BooksForPets = (await sender.Send(new GetPortalSettings(), ct)).BooksForPets;
            return true;
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    private IActionResult NotFoundPage() => Stopped(404, "Pet not found", "This client has no such pet on file.");
}
