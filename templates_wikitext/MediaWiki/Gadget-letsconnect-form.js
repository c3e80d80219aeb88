/**
 * Let's Connect: open the profile form from the "Add your profile" button
 * (Template:Let's Connect/Add profile) and from the "Edit with the form" link of a
 * profile card (Module:Let's Connect).
 *
 * This small gadget is loaded on every page (hidden, default); it does nothing on a
 * page without the button or the link.  On a click it loads the form itself, the
 * gadget letsconnect-form-core (its code, data and messages), and opens it.  Without
 * JavaScript, without this gadget, or when the form cannot load, the button and the
 * link do what they always did: open the new page with the preloaded template, or
 * the page's editor.
 *
 * Made by the Let's Connect bot's repository (templates_wikitext/MediaWiki/); changes
 * made here are overwritten by the next deploy.
 */
( function () {
	'use strict';

	var CORE = 'ext.gadget.letsconnect-form-core';

	// Only where the page is read: in a preview the form would take the editor's place.
	if ( mw.config.get( 'wgAction' ) !== 'view' ) {
		return;
	}

	function open( title, user, fallback ) {
		mw.loader.using( CORE ).then( function ( require ) {
			try {
				require( CORE ).open( { title: title, user: user, fallback: fallback } );
			} catch ( error ) {
				mw.log.error( error );
				fallback();
			}
		}, function ( error ) {
			mw.log.warn( 'letsconnect-form: the form did not load', error );
			fallback();
		} );
	}

	// The button: an InputBox (type=create) whose text box takes the page name after the
	// prefix; empty, the reader's own user name.
	$( document ).on( 'submit', '.letsconnect-add-profile form', function ( event ) {
		var form = this,
			typed = ( $( form ).find( 'input[name="title"]' ).val() || '' ).trim(),
			name = typed || mw.config.get( 'wgUserName' ),
			prefix = $( form ).find( 'input[name="prefix"]' ).val() || '';
		if ( !name || !mw.config.get( 'wgUserName' ) ) {
			return; // not logged in: the ordinary way, so nobody saves a profile as an IP
		}
		event.preventDefault();
		open( prefix + name, null, function () {
			if ( !typed ) {
				$( form ).find( 'input[name="title"]' ).val( name );
			}
			form.submit();
		} );
	} );

	// A reader who is logged in need not type their name: it is the usual page name.
	$( function () {
		if ( mw.config.get( 'wgUserName' ) ) {
			$( '.letsconnect-add-profile input[name="title"]' ).filter( function () {
				return !this.value;
			} ).val( mw.config.get( 'wgUserName' ) );
		}
	} );

	// The card's link: an edit link in a box that names the page and the entry's user.
	$( document ).on( 'click', '.letsconnect-form-edit a', function ( event ) {
		var link = this,
			$box = $( link ).closest( '.letsconnect-form-edit' );
		if ( !mw.config.get( 'wgUserName' ) || event.ctrlKey || event.metaKey || event.shiftKey ) {
			return;
		}
		event.preventDefault();
		open( $box.attr( 'data-page' ) || mw.config.get( 'wgPageName' ),
			$box.attr( 'data-user' ) || null,
			function () {
				location.href = link.href;
			} );
	} );
}() );
