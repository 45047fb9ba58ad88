//! What happens when the engine panics: a bug, never a bad input (those are errors).
//!
//! A panic in wasm aborts: the call traps with a bare "unreachable" and the instance is
//! left mid-operation, so the worker that holds it must be replaced. The hook installed
//! by [`install_hook`] first logs the panic with its stack (console_error_panic_hook),
//! then dispatches its message as a [`PANIC_EVENT`] `CustomEvent` on the global scope
//! (the page's window or the worker's), synchronously, before the trap: the worker
//! catches the trap, finds the message and sends it to the page, which shows it and
//! offers to restart the engine.
//!
//! [`Engine::panic_for_test`] panics on purpose so the page test can check all of that.

use std::sync::Once;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CustomEvent, CustomEventInit, EventTarget};

use super::Engine;

/// The event type the panic hook dispatches; its `detail` is the panic's message, e.g.
/// "panicked at src/web/panic.rs:60:9:\nthe reason".
pub const PANIC_EVENT: &str = "wasm-panic";

/// Routes every panic to the console and to a [`PANIC_EVENT`]; a second call does
/// nothing.
pub fn install_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| std::panic::set_hook(Box::new(report)));
}

fn report(info: &std::panic::PanicHookInfo<'_>) {
    console_error_panic_hook::hook(info);

    // The hook must not fail in turn: if the event cannot be made, the console has it.
    let init = CustomEventInit::new();
    init.set_detail(&JsValue::from_str(&info.to_string()));
    if let Ok(event) = CustomEvent::new_with_event_init_dict(PANIC_EVENT, &init) {
        let scope: EventTarget = js_sys::global().unchecked_into();
        let _ = scope.dispatch_event(&event);
    }
}

#[wasm_bindgen]
impl Engine {
    /// Panics on purpose, leaving the engine as a real bug would. Only the page test of a
    /// crashed worker calls it, through a message type the page itself never sends.
    #[wasm_bindgen(js_name = panicForTest)]
    pub fn panic_for_test(&mut self) {
        panic!(
            "deliberate panic for the page test, after update {}",
            self.trainer().updates_done()
        );
    }
}
