"""Check yourself in a real browser: answer on two pages (moving between them as a visitor does, in one
session), then read this visitor's progress on the home page."""

from playwright.sync_api import expect

from logreg import quiz

from .conftest import alert, assert_no_exception, keyed, wait_idle

SIGMOID_STATE = {"w": 1.5, "b": 0.0, "z": 2.0}  # the page's defaults
LOSS_STATE = {"y_hat": 0.8}


def _answer(page, name, i, q, text):
    """Type (or pick) ``text`` for question ``i`` of ``name``'s block and press its Check button."""
    base = f"quiz_{name}_{i}_{q.qid}"
    field = keyed(page, f"{base}_answer")
    if q.answer_type == "choice":
        field.get_by_text(text, exact=True).click()
    else:
        field.locator("input").fill(text)
    keyed(page, f"{base}_submit").get_by_role("button").click()
    wait_idle(page)


def _goto_in_app(page, section, path, heading):
    """Open a page from the top navigation (the session, and so the progress, is kept)."""
    page.locator('[data-testid="stTopNavSection"]', has_text=section).click()
    page.locator(f'a[href$="/{path}"]').filter(visible=True).first.click()
    expect(page.locator('[data-testid="stMain"] h1').first).to_contain_text(heading)
    wait_idle(page)


def test_answers_on_two_pages_show_up_on_the_home_page(page, server):
    page.goto(server)
    wait_idle(page)
    _goto_in_app(page, "Concepts", "sigmoid", "Sigmoid")

    qs = quiz.questions("sigmoid", SIGMOID_STATE, 0)
    i, q = next((i, q) for i, q in enumerate(qs) if q.answer_type != "choice")
    _answer(page, "sigmoid", i, q, "not a number")
    expect(alert(page, "Couldn't read that as a number")).to_be_visible()  # still open, nothing counted
    _answer(page, "sigmoid", i, q, q.key.shown())
    expect(alert(page, "Right")).to_be_visible()
    expect(keyed(page, "quiz_sigmoid_block")).to_contain_text("1 right of 1 answered")

    _goto_in_app(page, "Concepts", "loss", "Loss")
    lq = quiz.questions("loss", LOSS_STATE, 0)
    j, q2 = next((j, q) for j, q in enumerate(lq) if q.answer_type == "choice")
    wrong = next(o for o in q2.key.options if o != q2.key.shown())
    _answer(page, "loss", j, q2, wrong)
    expect(alert(page, "Not quite")).to_contain_text(q2.key.shown())
    expect(keyed(page, "quiz_loss_block")).to_contain_text("0 right of 1 answered")

    page.locator('[data-testid="stTopNavLink"]', has_text="Start here").filter(visible=True).first.click()
    expect(page.locator('[data-testid="stMain"] h1').first).to_contain_text("Logistic regression")
    wait_idle(page)
    table = page.locator('[data-testid="stMarkdownContainer"] table').last
    expect(table.locator("tr", has_text="Sigmoid").locator("td")).to_have_text(["Sigmoid", "1", "1"])
    expect(table.locator("tr", has_text="Loss & cost").locator("td")).to_have_text(["Loss & cost", "1", "0"])
    expect(table.locator("tr", has_text="Vectorization").locator("td")).to_have_text(["Vectorization", "0", "0"])
    assert_no_exception(page)
